package io.cairn.master.internal.command;

import io.cairn.master.internal.component.MasterComponent;
import io.cairn.master.internal.server.MasterDriver;
import io.cairn.proto.mesos.v1.Protos.Attribute;
import io.cairn.proto.mesos.v1.Protos.Resource;
import io.cairn.proto.mesos.v1.Protos.Value;
import io.cairn.proto.mesos.v1.master.Protos.Response;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Formatting shared by the {@code master:} commands: fetch the state, print resources. */
final class MasterText {
  private MasterText() {}

  /** The leading core's state, or a sentence saying why there is none. */
  static Object fetch(MasterComponent master) {
    if (master == null || master.driver() == null) {
      return "The master is not running on this node (no master role, or not yet activated).";
    }
    MasterDriver driver = master.driver();
    try {
      Optional<Response.GetState> state = driver.withCore(core -> core.state())
          .get(5, TimeUnit.SECONDS);
      if (state.isEmpty()) {
        return "This node does not lead; the leading master is "
            + driver.leaderAddress().orElse("not known yet") + ".";
      }
      return state.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "Interrupted while reading the master's state.";
    } catch (ExecutionException | TimeoutException e) {
      return "The master did not answer within 5 s: " + e;
    }
  }

  /** Scalars summed by name and ranges, e.g. {@code cpus:4 mem:4096 ports:[31000-32000]}. */
  static String resources(List<Resource> resources) {
    Map<String, Double> scalars = scalars(resources);
    StringBuilder out = new StringBuilder();
    scalars.forEach((k, v) -> out.append(out.length() == 0 ? "" : " ").append(k).append(':')
        .append(number(v)));
    for (Resource r : resources) {
      if (r.getType() == Value.Type.RANGES) {
        out.append(out.length() == 0 ? "" : " ").append(r.getName()).append(':')
            .append(ranges(r.getRanges()));
      }
    }
    return out.length() == 0 ? "-" : out.toString();
  }

  /** total - used - offered, per scalar. */
  static String free(List<Resource> total, List<Resource> used, List<Resource> offered) {
    Map<String, Double> free = scalars(total);
    scalars(used).forEach((k, v) -> free.merge(k, -v, Double::sum));
    scalars(offered).forEach((k, v) -> free.merge(k, -v, Double::sum));
    StringBuilder out = new StringBuilder();
    free.forEach((k, v) -> out.append(out.length() == 0 ? "" : " ").append(k).append(':')
        .append(number(Math.max(0, v))));
    return out.length() == 0 ? "-" : out.toString();
  }

  static String attributes(List<Attribute> attributes) {
    StringBuilder out = new StringBuilder();
    for (Attribute a : attributes) {
      out.append(out.length() == 0 ? "" : ";").append(a.getName()).append(':');
      switch (a.getType()) {
        case SCALAR -> out.append(number(a.getScalar().getValue()));
        case TEXT -> out.append(a.getText().getValue());
        case RANGES -> out.append(ranges(a.getRanges()));
        default -> out.append('{').append(String.join(",", a.getSet().getItemList()))
            .append('}');
      }
    }
    return out.length() == 0 ? "-" : out.toString();
  }

  private static Map<String, Double> scalars(List<Resource> resources) {
    Map<String, Double> out = new TreeMap<>();
    for (Resource r : resources) {
      if (r.getType() == Value.Type.SCALAR) {
        out.merge(r.getName(), r.getScalar().getValue(), Double::sum);
      }
    }
    return out;
  }

  private static String number(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  private static String ranges(Value.Ranges ranges) {
    StringBuilder b = new StringBuilder("[");
    for (Value.Range range : ranges.getRangeList()) {
      b.append(b.length() == 1 ? "" : ",").append(range.getBegin()).append('-')
          .append(range.getEnd());
    }
    return b.append(']').toString();
  }
}
