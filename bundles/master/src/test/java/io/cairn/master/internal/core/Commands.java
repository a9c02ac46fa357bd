package io.cairn.master.internal.core;

import io.cairn.master.internal.proto.RegistryProtos.AddFramework;
import io.cairn.master.internal.proto.RegistryProtos.AdmitAgent;
import io.cairn.master.internal.proto.RegistryProtos.MaintenanceWindow;
import io.cairn.master.internal.proto.RegistryProtos.MarkAgentGone;
import io.cairn.master.internal.proto.RegistryProtos.MarkAgentReachable;
import io.cairn.master.internal.proto.RegistryProtos.MarkAgentUnreachable;
import io.cairn.master.internal.proto.RegistryProtos.PruneUnreachable;
import io.cairn.master.internal.proto.RegistryProtos.QuotaConfig;
import io.cairn.master.internal.proto.RegistryProtos.RegistryCommand;
import io.cairn.master.internal.proto.RegistryProtos.RemoveFramework;
import io.cairn.master.internal.proto.RegistryProtos.ScalarQuantity;
import io.cairn.master.internal.proto.RegistryProtos.UpdateFramework;
import io.cairn.master.internal.proto.RegistryProtos.UpdateMaintenance;
import io.cairn.master.internal.proto.RegistryProtos.UpdateQuota;
import io.cairn.master.internal.proto.RegistryProtos.UpdateWeights;
import io.cairn.master.internal.proto.RegistryProtos.Weight;
import io.cairn.proto.mesos.v1.Protos.AgentID;
import io.cairn.proto.mesos.v1.Protos.AgentInfo;
import io.cairn.proto.mesos.v1.Protos.Attribute;
import io.cairn.proto.mesos.v1.Protos.FrameworkID;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import io.cairn.proto.mesos.v1.Protos.MachineID;
import io.cairn.proto.mesos.v1.Protos.Resource;
import io.cairn.proto.mesos.v1.Protos.Value;
import java.util.Map;

/** Builders of registry commands for tests: one short call per command. */
final class Commands {
  private Commands() {}

  static AgentInfo agent(String id, String host) {
    return AgentInfo.newBuilder()
        .setId(AgentID.newBuilder().setValue(id))
        .setHostname(host)
        .addResources(scalar("cpus", 4))
        .addResources(scalar("mem", 1024))
        .addAttributes(Attribute.newBuilder().setName("rack").setType(Value.Type.TEXT)
            .setText(Value.Text.newBuilder().setValue("a")))
        .build();
  }

  static Resource scalar(String name, double value) {
    return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
  }

  static RegistryCommand admit(String id) {
    return admit(agent(id, "host-" + id));
  }

  static RegistryCommand admit(AgentInfo info) {
    return RegistryCommand.newBuilder().setAdmitAgent(AdmitAgent.newBuilder().setInfo(info))
        .build();
  }

  static RegistryCommand unreachable(String id, long timeMs) {
    return RegistryCommand.newBuilder().setMarkAgentUnreachable(MarkAgentUnreachable.newBuilder()
        .setAgentId(AgentID.newBuilder().setValue(id)).setTimeMs(timeMs)).build();
  }

  static RegistryCommand reachable(String id) {
    return reachable(agent(id, "host-" + id));
  }

  static RegistryCommand reachable(AgentInfo info) {
    return RegistryCommand.newBuilder()
        .setMarkAgentReachable(MarkAgentReachable.newBuilder().setInfo(info)).build();
  }

  static RegistryCommand gone(String id, long timeMs) {
    return RegistryCommand.newBuilder().setMarkAgentGone(MarkAgentGone.newBuilder()
        .setAgentId(AgentID.newBuilder().setValue(id)).setTimeMs(timeMs)).build();
  }

  static RegistryCommand prune(long nowMs, long maxAgeMs, int maxCount) {
    return RegistryCommand.newBuilder().setPruneUnreachable(PruneUnreachable.newBuilder()
        .setNowMs(nowMs).setMaxAgeMs(maxAgeMs).setMaxCount(maxCount)).build();
  }

  static FrameworkInfo framework(String id, double failoverTimeout, String... roles) {
    FrameworkInfo.Builder info = FrameworkInfo.newBuilder()
        .setId(FrameworkID.newBuilder().setValue(id)).setName("fw-" + id).setUser("cairn")
        .setFailoverTimeout(failoverTimeout);
    for (String role : roles) {
      info.addRoles(role);
    }
    return info.build();
  }

  static RegistryCommand addFramework(FrameworkInfo info) {
    return RegistryCommand.newBuilder().setAddFramework(AddFramework.newBuilder().setInfo(info))
        .build();
  }

  static RegistryCommand updateFramework(FrameworkInfo info) {
    return RegistryCommand.newBuilder()
        .setUpdateFramework(UpdateFramework.newBuilder().setInfo(info)).build();
  }

  static RegistryCommand removeFramework(String id) {
    return RegistryCommand.newBuilder().setRemoveFramework(RemoveFramework.newBuilder()
        .setFrameworkId(FrameworkID.newBuilder().setValue(id))).build();
  }

  /** Alternating role, weight, role, weight, ... */
  static RegistryCommand weights(Object... roleAndWeight) {
    UpdateWeights.Builder update = UpdateWeights.newBuilder();
    for (int i = 0; i < roleAndWeight.length; i += 2) {
      update.addWeights(Weight.newBuilder().setRole((String) roleAndWeight[i])
          .setWeight(((Number) roleAndWeight[i + 1]).doubleValue()));
    }
    return RegistryCommand.newBuilder().setUpdateWeights(update).build();
  }

  static RegistryCommand quota(String role, Map<String, Double> guarantees,
      Map<String, Double> limits) {
    QuotaConfig.Builder config = QuotaConfig.newBuilder().setRole(role);
    guarantees.forEach((name, v) -> config.addGuarantees(quantity(name, v)));
    limits.forEach((name, v) -> config.addLimits(quantity(name, v)));
    return RegistryCommand.newBuilder().setUpdateQuota(UpdateQuota.newBuilder().setConfig(config))
        .build();
  }

  static ScalarQuantity quantity(String name, double value) {
    return ScalarQuantity.newBuilder().setName(name).setValue(value).build();
  }

  static MaintenanceWindow window(long startMs, long durationMs, String... hosts) {
    MaintenanceWindow.Builder window =
        MaintenanceWindow.newBuilder().setStartMs(startMs).setDurationMs(durationMs);
    for (String host : hosts) {
      window.addMachineIds(MachineID.newBuilder().setHostname(host));
    }
    return window.build();
  }

  static RegistryCommand maintenance(MaintenanceWindow... windows) {
    UpdateMaintenance.Builder update = UpdateMaintenance.newBuilder();
    for (MaintenanceWindow w : windows) {
      update.addWindows(w);
    }
    return RegistryCommand.newBuilder().setUpdateMaintenance(update).build();
  }
}
