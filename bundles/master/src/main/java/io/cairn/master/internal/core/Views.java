package io.cairn.master.internal.core;

import io.cairn.master.Agent;
import io.cairn.master.AgentState;
import io.cairn.master.Framework;
import io.cairn.master.MaintenanceWindow;
import io.cairn.master.Quota;
import io.cairn.master.internal.proto.RegistryProtos;
import io.cairn.master.internal.proto.RegistryProtos.QuotaConfig;
import io.cairn.master.internal.proto.RegistryProtos.ScalarQuantity;
import io.cairn.proto.mesos.v1.Protos.AgentInfo;
import io.cairn.proto.mesos.v1.Protos.Attribute;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import io.cairn.proto.mesos.v1.Protos.Resource;
import io.cairn.proto.mesos.v1.Protos.Value;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Turns the registry's protobuf records into the immutable records of master-api; pure. */
final class Views {
  private Views() {}

  static Agent agent(AgentInfo info, AgentState state, OptionalLong sinceMs) {
    TreeMap<String, Double> scalars = new TreeMap<>();
    for (Resource r : info.getResourcesList()) {
      if (r.getType() == Value.Type.SCALAR && r.hasScalar()) {
        scalars.merge(r.getName(), r.getScalar().getValue(), Double::sum);
      }
    }
    TreeMap<String, String> attributes = new TreeMap<>();
    for (Attribute a : info.getAttributesList()) {
      attributes.put(a.getName(), attributeText(a));
    }
    return new Agent(
        info.getId().getValue(),
        info.getHostname(),
        info.getPort(),
        state,
        sinceMs,
        scalars,
        attributes);
  }

  static Agent gone(String id, long timeMs) {
    return new Agent(id, "", 0, AgentState.GONE, OptionalLong.of(timeMs), Map.of(), Map.of());
  }

  static Framework framework(FrameworkInfo info) {
    return new Framework(
        info.getId().getValue(),
        info.getName(),
        info.getUser(),
        roles(info),
        info.getFailoverTimeout(),
        info.getCheckpoint(),
        info.getPrincipal());
  }

  /** The roles a framework subscribes with: {@code roles}, else the deprecated {@code role}. */
  static List<String> roles(FrameworkInfo info) {
    return info.getRolesCount() > 0 ? List.copyOf(info.getRolesList()) : List.of(info.getRole());
  }

  static Quota quota(QuotaConfig config) {
    return new Quota(
        config.getRole(), byName(config.getGuaranteesList()), byName(config.getLimitsList()));
  }

  static MaintenanceWindow window(RegistryProtos.MaintenanceWindow window) {
    return new MaintenanceWindow(
        window.getMachineIdsList().stream()
            .map(m -> new MaintenanceWindow.Machine(m.getHostname(), m.getIp()))
            .toList(),
        window.getStartMs(),
        window.getDurationMs());
  }

  private static Map<String, Double> byName(List<ScalarQuantity> quantities) {
    TreeMap<String, Double> byName = new TreeMap<>();
    quantities.forEach(q -> byName.put(q.getName(), q.getValue()));
    return byName;
  }

  /** An attribute's value as Mesos writes it: {@code a}, {@code 2}, {@code [1-5]}, {@code {x}}. */
  static String attributeText(Attribute a) {
    return switch (a.getType()) {
      case SCALAR -> Results.number(a.getScalar().getValue());
      case RANGES -> a.getRanges().getRangeList().stream()
          .map(r -> Long.toUnsignedString(r.getBegin()) + "-" + Long.toUnsignedString(r.getEnd()))
          .collect(Collectors.joining(",", "[", "]"));
      case SET -> a.getSet().getItemList().stream().collect(Collectors.joining(",", "{", "}"));
      case TEXT -> a.getText().getValue();
    };
  }
}
