package io.cairn.marathon.internal.core;

import io.cairn.marathon.internal.model.AppDefinition;
import io.cairn.marathon.internal.model.AppDefinition.Constraint;
import io.cairn.marathon.internal.model.AppDefinition.PortDefinition;
import io.cairn.marathon.internal.model.AppDefinition.PortMapping;
import io.cairn.proto.mesos.v1.Protos.Resource;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether one more instance of an app fits what is left of an offer, in Marathon's order:
 * role, cpus, mem, disk, gpus, ports, constraints; and takes the resources when it does. Pure
 * apart from the {@link OfferPool} it consumes.
 */
final class OfferMatcher {
  private OfferMatcher() {}

  /** A placement: the task resources and the host ports, or why it does not fit. */
  record Result(List<Resource> resources, List<Integer> hostPorts, RejectReason reason,
      String detail) {
    boolean matched() {
      return reason == null;
    }

    static Result reject(RejectReason reason, String detail) {
      return new Result(List.of(), List.of(), reason, detail);
    }
  }

  static Result match(AppDefinition app, OfferPool pool, Placement candidate,
      List<Placement> placed) {
    List<String> roles = app.acceptedResourceRoles();
    if (!pool.anyUsable(roles)) {
      return Result.reject(RejectReason.UnfulfilledRole, "no resources in roles " + roles);
    }
    Result scalars = checkScalars(app, pool, roles);
    if (scalars != null) {
      return scalars;
    }
    List<Integer> requested = requestedPorts(app);
    List<Integer> ports = pool.pickPorts(requested, roles);
    if (ports == null) {
      return Result.reject(RejectReason.InsufficientPorts, "needs ports " + requested);
    }
    Constraint unmet = ConstraintChecker.firstUnmet(app.constraints(), candidate, placed);
    if (unmet != null) {
      return Result.reject(RejectReason.UnfulfilledConstraint,
          "constraint " + unmet.asList() + " not met by " + candidate.hostname());
    }
    List<Resource> resources = new ArrayList<>();
    resources.addAll(pool.takeScalar("cpus", app.cpus(), roles));
    resources.addAll(pool.takeScalar("mem", app.mem(), roles));
    if (app.disk() > 0) {
      resources.addAll(pool.takeScalar("disk", app.disk(), roles));
    }
    if (app.gpus() > 0) {
      resources.addAll(pool.takeScalar("gpus", app.gpus(), roles));
    }
    resources.addAll(pool.takePorts(ports, roles));
    return new Result(resources, ports, null, "");
  }

  private static Result checkScalars(AppDefinition app, OfferPool pool, List<String> roles) {
    double cpus = pool.available("cpus", roles);
    if (cpus + 1e-9 < app.cpus()) {
      return Result.reject(RejectReason.InsufficientCpus,
          "needs " + app.cpus() + " cpus, offer has " + cpus);
    }
    double mem = pool.available("mem", roles);
    if (mem + 1e-9 < app.mem()) {
      return Result.reject(RejectReason.InsufficientMemory,
          "needs " + app.mem() + " MiB mem, offer has " + mem);
    }
    double disk = pool.available("disk", roles);
    if (disk + 1e-9 < app.disk()) {
      return Result.reject(RejectReason.InsufficientDisk,
          "needs " + app.disk() + " MiB disk, offer has " + disk);
    }
    double gpus = pool.available("gpus", roles);
    if (gpus + 1e-9 < app.gpus()) {
      return Result.reject(RejectReason.InsufficientGpus,
          "needs " + app.gpus() + " gpus, offer has " + gpus);
    }
    return null;
  }

  /** The host ports the app asks for: a fixed port, or 0 for any. */
  static List<Integer> requestedPorts(AppDefinition app) {
    List<Integer> ports = new ArrayList<>();
    if (app.hostNetworking()) {
      for (PortDefinition definition : app.portDefinitions()) {
        ports.add(app.requirePorts() ? definition.port() : 0);
      }
    } else if (app.container() != null) {
      for (PortMapping mapping : app.container().portMappings()) {
        ports.add(mapping.hostPort());
      }
    }
    return ports;
  }
}
