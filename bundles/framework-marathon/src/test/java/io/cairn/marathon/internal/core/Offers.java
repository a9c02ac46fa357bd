package io.cairn.marathon.internal.core;

import io.cairn.proto.mesos.v1.Protos.AgentID;
import io.cairn.proto.mesos.v1.Protos.Attribute;
import io.cairn.proto.mesos.v1.Protos.FrameworkID;
import io.cairn.proto.mesos.v1.Protos.Offer;
import io.cairn.proto.mesos.v1.Protos.OfferID;
import io.cairn.proto.mesos.v1.Protos.Resource;
import io.cairn.proto.mesos.v1.Protos.TaskID;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import io.cairn.proto.mesos.v1.Protos.Value;
import java.util.Map;

/** Builders of offers and statuses for the core's tests. */
final class Offers {
  private static int next;

  private Offers() {}

  static Offer offer(String host, double cpus, double mem, long portBegin, long portEnd,
      Map<String, String> attributes) {
    Offer.Builder offer = Offer.newBuilder()
        .setId(OfferID.newBuilder().setValue("offer-" + (++next)))
        .setFrameworkId(FrameworkID.newBuilder().setValue("fw"))
        .setAgentId(AgentID.newBuilder().setValue("agent-" + host))
        .setHostname(host)
        .addResources(scalar("cpus", cpus, "*"))
        .addResources(scalar("mem", mem, "*"))
        .addResources(scalar("disk", 1000, "*"))
        .addResources(Resource.newBuilder().setName("ports").setType(Value.Type.RANGES)
            .setRanges(Value.Ranges.newBuilder().addRange(Value.Range.newBuilder()
                .setBegin(portBegin).setEnd(portEnd))));
    attributes.forEach((k, v) -> offer.addAttributes(Attribute.newBuilder().setName(k)
        .setType(Value.Type.TEXT).setText(Value.Text.newBuilder().setValue(v))));
    return offer.build();
  }

  static Offer offer(String host) {
    return offer(host, 4, 4096, 31000, 31099, Map.of());
  }

  static Resource scalar(String name, double value, String role) {
    return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR).setRole(role)
        .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
  }

  static TaskStatus status(String taskId, String agentId, TaskState state, Boolean healthy) {
    TaskStatus.Builder status = TaskStatus.newBuilder()
        .setTaskId(TaskID.newBuilder().setValue(taskId))
        .setAgentId(AgentID.newBuilder().setValue(agentId)).setState(state);
    if (healthy != null) {
      status.setHealthy(healthy);
    }
    return status.build();
  }
}
