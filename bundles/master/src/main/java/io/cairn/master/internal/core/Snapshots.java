package io.cairn.master.internal.core;

import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.master.internal.proto.RegistryProtos.GoneAgent;
import io.cairn.master.internal.proto.RegistryProtos.QuotaConfig;
import io.cairn.master.internal.proto.RegistryProtos.RegistrySnapshot;
import io.cairn.master.internal.proto.RegistryProtos.UnreachableAgent;
import io.cairn.master.internal.proto.RegistryProtos.Weight;
import io.cairn.proto.mesos.v1.Protos.AgentInfo;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import java.util.HashSet;
import java.util.Set;

/**
 * The reading half of the snapshot pair (STYLE.md §5): a decoded {@link RegistrySnapshot} is
 * checked against the registry's invariants before it replaces anything, so a corrupt or foreign
 * snapshot is refused instead of becoming unknown state.
 */
final class Snapshots {
  private Snapshots() {}

  /**
   * Fails unless every agent id is present, non-empty and in exactly one state, every framework id
   * once, every weight finite and > 0, and every quota role once.
   */
  static void check(RegistrySnapshot snapshot) throws InvalidProtocolBufferException {
    Set<String> agentIds = new HashSet<>();
    for (AgentInfo info : snapshot.getAdmittedList()) {
      requireNew(agentIds, info.getId().getValue(), "agent");
    }
    for (UnreachableAgent u : snapshot.getUnreachableList()) {
      requireNew(agentIds, u.getInfo().getId().getValue(), "agent");
    }
    for (GoneAgent g : snapshot.getGoneList()) {
      requireNew(agentIds, g.getAgentId().getValue(), "agent");
    }
    Set<String> frameworkIds = new HashSet<>();
    for (FrameworkInfo info : snapshot.getFrameworksList()) {
      requireNew(frameworkIds, info.getId().getValue(), "framework");
    }
    Set<String> roles = new HashSet<>();
    for (Weight w : snapshot.getWeightsList()) {
      requireNew(roles, w.getRole(), "weight role");
      if (!Double.isFinite(w.getWeight()) || w.getWeight() <= 0) {
        throw corrupt("weight %s of role '%s' is not > 0", w.getWeight(), w.getRole());
      }
    }
    roles.clear();
    for (QuotaConfig q : snapshot.getQuotasList()) {
      requireNew(roles, q.getRole(), "quota role");
    }
  }

  private static void requireNew(Set<String> seen, String id, String what)
      throws InvalidProtocolBufferException {
    if (id.isEmpty()) {
      throw corrupt("a %s has an empty id", what);
    }
    if (!seen.add(id)) {
      throw corrupt("%s %s appears twice", what, id);
    }
  }

  private static InvalidProtocolBufferException corrupt(String template, Object... args) {
    return new InvalidProtocolBufferException(
        "registry snapshot is corrupt: " + String.format(java.util.Locale.ROOT, template, args));
  }
}
