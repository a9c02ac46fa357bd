package io.cairn.master.internal.core;

import static io.cairn.master.internal.core.Results.reject;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.cairn.env.Check;
import io.cairn.master.AgentState;
import io.cairn.master.Framework;
import io.cairn.master.Quota;
import io.cairn.master.Registry;
import io.cairn.master.internal.core.Validation.Result;
import io.cairn.master.internal.proto.RegistryProtos.AddFramework;
import io.cairn.master.internal.proto.RegistryProtos.AdmitAgent;
import io.cairn.master.internal.proto.RegistryProtos.GoneAgent;
import io.cairn.master.internal.proto.RegistryProtos.MaintenanceWindow;
import io.cairn.master.internal.proto.RegistryProtos.MarkAgentGone;
import io.cairn.master.internal.proto.RegistryProtos.MarkAgentReachable;
import io.cairn.master.internal.proto.RegistryProtos.MarkAgentUnreachable;
import io.cairn.master.internal.proto.RegistryProtos.PruneUnreachable;
import io.cairn.master.internal.proto.RegistryProtos.QuotaConfig;
import io.cairn.master.internal.proto.RegistryProtos.RegistryCommand;
import io.cairn.master.internal.proto.RegistryProtos.RegistryResult;
import io.cairn.master.internal.proto.RegistryProtos.RegistryResult.Code;
import io.cairn.master.internal.proto.RegistryProtos.RegistrySnapshot;
import io.cairn.master.internal.proto.RegistryProtos.UnreachableAgent;
import io.cairn.master.internal.proto.RegistryProtos.Weight;
import io.cairn.proto.mesos.v1.Protos.AgentID;
import io.cairn.proto.mesos.v1.Protos.AgentInfo;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's registry (what Mesos keeps in its replicated log, src/master/registry.proto):
 * admitted, unreachable and gone agents, frameworks, role weights, quota and the maintenance
 * schedule, changed only by {@link RegistryCommand}s applied in log order.
 *
 * <p>Deterministic: the result and the new state depend only on the state and the command. Time
 * arrives in the command; no clock, randomness or I/O. Every command is validated completely before
 * anything changes, so a rejected command (a {@link RegistryResult} other than OK, with one plain
 * sentence) leaves the registry as it was.
 *
 * <p>Threading: {@link #apply}, {@link #snapshot} and {@link #restore} are called only on the Raft
 * group's apply loop, one at a time. {@link #view} may be called from any thread: after each apply
 * or restore the core publishes a new immutable {@link Registry} through a volatile field.
 *
 * <p>Invariants: an agent id is in at most one of admitted, unreachable and gone; a gone id never
 * leaves gone; map keys equal the ids and roles of their values.
 */
public final class RegistryCore {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryCore.class);

  private final TreeMap<String, AgentInfo> admitted = new TreeMap<>();
  private final TreeMap<String, UnreachableAgent> unreachable = new TreeMap<>();
  private final TreeMap<String, GoneAgent> gone = new TreeMap<>();
  private final TreeMap<String, FrameworkInfo> frameworks = new TreeMap<>();
  private final TreeMap<String, Double> weights = new TreeMap<>();
  private final TreeMap<String, QuotaConfig> quotas = new TreeMap<>();
  private List<MaintenanceWindow> maintenance = List.of();
  private long lastIndex;

  /** Views of the agents, kept in step with the three agent maps (one entry per id). */
  private final AgentViews agentViews = new AgentViews();
  private final TreeMap<String, Framework> frameworkViews = new TreeMap<>();
  private List<Framework> frameworkList = List.of();
  private boolean frameworksChanged;
  private volatile Registry view = Registry.EMPTY;

  /** The registry as of the last applied command; safe from any thread. */
  public Registry view() {
    return view;
  }

  /** The last log index applied (or restored), 0 before the first. */
  public long lastIndex() {
    return lastIndex;
  }

  /**
   * Decodes and applies the command of log entry {@code index}.
   *
   * @return the result; MALFORMED when the bytes are not a registry command
   */
  public RegistryResult apply(long index, byte[] command) {
    Check.argument(
        index > lastIndex, "index %s is not after the last applied %s", index, lastIndex);
    RegistryCommand decoded;
    try {
      decoded = RegistryCommand.parseFrom(command);
    } catch (InvalidProtocolBufferException e) {
      lastIndex = index;
      publish();
      return reject(
          Code.MALFORMED, "entry %s is not a registry command: %s", index, e.getMessage());
    }
    return apply(index, decoded);
  }

  /** Applies {@code command}, the command of log entry {@code index}. */
  public RegistryResult apply(long index, RegistryCommand command) {
    Check.argument(
        index > lastIndex, "index %s is not after the last applied %s", index, lastIndex);
    lastIndex = index;
    RegistryResult result = dispatch(index, command);
    if (result.getCode() != Code.OK) {
      LOG.debug("registry rejected index={} code={} reason={}", index, result.getCode(),
          result.getMessage());
    }
    publish();
    return result;
  }

  private RegistryResult dispatch(long index, RegistryCommand command) {
    return switch (command.getCommandCase()) {
      case ADMIT_AGENT -> admitAgent(command.getAdmitAgent());
      case MARK_AGENT_UNREACHABLE -> markUnreachable(command.getMarkAgentUnreachable());
      case MARK_AGENT_REACHABLE -> markReachable(command.getMarkAgentReachable());
      case MARK_AGENT_GONE -> markGone(command.getMarkAgentGone());
      case PRUNE_UNREACHABLE -> prune(command.getPruneUnreachable());
      case ADD_FRAMEWORK -> addFramework(command.getAddFramework().getInfo(),
          command.getAddFramework().hasInfo());
      case UPDATE_FRAMEWORK -> updateFramework(command.getUpdateFramework().getInfo(),
          command.getUpdateFramework().hasInfo());
      case REMOVE_FRAMEWORK -> removeFramework(command.getRemoveFramework().getFrameworkId()
          .getValue());
      case UPDATE_WEIGHTS -> updateWeights(PolicyCommands.weights(command.getUpdateWeights()));
      case UPDATE_QUOTA -> updateQuota(PolicyCommands.quota(command.getUpdateQuota()));
      case UPDATE_MAINTENANCE -> updateMaintenance(
          PolicyCommands.maintenance(command.getUpdateMaintenance()));
      case COMMAND_NOT_SET -> reject(Code.MALFORMED, "entry %s carries no registry command", index);
    };
  }

  // ---- agents ----

  private RegistryResult admitAgent(AdmitAgent command) {
    Optional<RegistryResult> bad = agentInfoProblem(command.hasInfo(), command.getInfo());
    if (bad.isPresent()) {
      return bad.get();
    }
    AgentInfo info = command.getInfo();
    String id = info.getId().getValue();
    if (admitted.containsKey(id)) {
      return reject(Code.ALREADY_EXISTS, "agent %s is already admitted", id);
    }
    if (unreachable.containsKey(id)) {
      return reject(Code.WRONG_STATE,
          "agent %s is unreachable; it comes back by re-registering, not by a new admission", id);
    }
    if (gone.containsKey(id)) {
      return reject(Code.GONE,
          "agent %s is gone and can never be admitted again; it must register with a new id", id);
    }
    putAdmitted(info);
    return Results.OK;
  }

  private RegistryResult markUnreachable(MarkAgentUnreachable command) {
    String id = command.getAgentId().getValue();
    Optional<RegistryResult> bad = timedProblem("MarkAgentUnreachable",
        command.hasAgentId(), id, command.hasTimeMs(), command.getTimeMs());
    if (bad.isPresent()) {
      return bad.get();
    }
    AgentInfo info = admitted.get(id);
    if (info == null) {
      return notAdmitted(id, "marked unreachable");
    }
    admitted.remove(id);
    UnreachableAgent entry =
        UnreachableAgent.newBuilder().setInfo(info).setTimeMs(command.getTimeMs()).build();
    unreachable.put(id, entry);
    agentViews.put(Views.agent(info, AgentState.UNREACHABLE, OptionalLong.of(entry.getTimeMs())));
    return Results.OK;
  }

  /**
   * Re-registration. An unreachable agent becomes admitted with its new info; so does an agent
   * the registry no longer knows (it was pruned), as Mesos allows. A gone agent never comes back.
   */
  private RegistryResult markReachable(MarkAgentReachable command) {
    Optional<RegistryResult> bad = agentInfoProblem(command.hasInfo(), command.getInfo());
    if (bad.isPresent()) {
      return bad.get();
    }
    String id = command.getInfo().getId().getValue();
    GoneAgent goneAgent = gone.get(id);
    if (goneAgent != null) {
      return reject(Code.GONE,
          "agent %s was marked gone at %s and can never re-register; remove its checkpointed"
              + " agent id so that it registers as a new agent", id, goneAgent.getTimeMs());
    }
    if (admitted.containsKey(id)) {
      return reject(Code.ALREADY_EXISTS, "agent %s is already admitted", id);
    }
    unreachable.remove(id);
    putAdmitted(command.getInfo());
    return Results.OK;
  }

  private RegistryResult markGone(MarkAgentGone command) {
    String id = command.getAgentId().getValue();
    Optional<RegistryResult> bad = timedProblem("MarkAgentGone",
        command.hasAgentId(), id, command.hasTimeMs(), command.getTimeMs());
    if (bad.isPresent()) {
      return bad.get();
    }
    GoneAgent already = gone.get(id);
    if (already != null) {
      return reject(Code.WRONG_STATE, "agent %s is already gone (since %s)", id,
          already.getTimeMs());
    }
    if (!admitted.containsKey(id) && !unreachable.containsKey(id)) {
      return reject(Code.NOT_FOUND, "agent %s is not in the registry", id);
    }
    admitted.remove(id);
    unreachable.remove(id);
    gone.put(id, GoneAgent.newBuilder().setAgentId(command.getAgentId())
        .setTimeMs(command.getTimeMs()).build());
    agentViews.put(Views.gone(id, command.getTimeMs()));
    return Results.OK;
  }

  /**
   * Garbage-collects unreachable agents oldest first (by the time they were marked, then by id):
   * those marked before {@code now - maxAge}, then more until at most {@code maxCount} remain.
   * Because the order is by time, both rules remove a prefix of the same order.
   */
  private RegistryResult prune(PruneUnreachable command) {
    if (!command.hasNowMs() || !command.hasMaxAgeMs() || !command.hasMaxCount()
        || command.getNowMs() < 0 || command.getMaxAgeMs() < 0 || command.getMaxCount() < 0) {
      return reject(Code.INVALID,
          "PruneUnreachable needs now, max age and max count, all >= 0; was now=%s maxAge=%s"
              + " maxCount=%s", command.getNowMs(), command.getMaxAgeMs(), command.getMaxCount());
    }
    List<UnreachableAgent> oldestFirst = new ArrayList<>(unreachable.values());
    oldestFirst.sort(Comparator.comparingLong(UnreachableAgent::getTimeMs)
        .thenComparing(u -> u.getInfo().getId().getValue()));
    long cutoff = command.getNowMs() - command.getMaxAgeMs();
    int byAge = 0;
    while (byAge < oldestFirst.size() && oldestFirst.get(byAge).getTimeMs() < cutoff) {
      byAge++;
    }
    int count = Math.max(byAge, oldestFirst.size() - command.getMaxCount());
    RegistryResult.Builder result = RegistryResult.newBuilder().setCode(Code.OK);
    Set<String> pruned = new HashSet<>();
    for (UnreachableAgent u : oldestFirst.subList(0, count)) {
      pruned.add(u.getInfo().getId().getValue());
      unreachable.remove(u.getInfo().getId().getValue());
      result.addPruned(u.getInfo().getId());
    }
    agentViews.removeAll(pruned);
    return result.build();
  }

  private void putAdmitted(AgentInfo info) {
    String id = info.getId().getValue();
    admitted.put(id, info);
    agentViews.put(Views.agent(info, AgentState.ADMITTED, OptionalLong.empty()));
  }

  private RegistryResult notAdmitted(String id, String what) {
    UnreachableAgent u = unreachable.get(id);
    if (u != null) {
      return reject(Code.WRONG_STATE, "agent %s is already unreachable (since %s)", id,
          u.getTimeMs());
    }
    GoneAgent g = gone.get(id);
    if (g != null) {
      return reject(Code.GONE, "agent %s is gone (since %s) and cannot be %s", id,
          g.getTimeMs(), what);
    }
    return reject(Code.NOT_FOUND, "agent %s is not in the registry", id);
  }

  private static Optional<RegistryResult> agentInfoProblem(boolean present, AgentInfo info) {
    if (!present || !info.hasId()) {
      return Optional.of(reject(Code.INVALID, "the agent's info and its id are required"));
    }
    String id = info.getId().getValue();
    Optional<String> badId = Validation.idProblem(id);
    if (badId.isPresent()) {
      return Optional.of(reject(Code.INVALID, "agent id '%s' %s", id, badId.get()));
    }
    if (info.getHostname().isEmpty()) {
      return Optional.of(reject(Code.INVALID, "agent %s has no hostname", id));
    }
    if (info.getPort() < 1 || info.getPort() > 65535) {
      return Optional.of(reject(Code.INVALID, "agent %s has port %s; a port is 1 to 65535", id,
          info.getPort()));
    }
    return Optional.empty();
  }

  private static Optional<RegistryResult> timedProblem(
      String command, boolean hasId, String id, boolean hasTime, long timeMs) {
    if (!hasId || id.isEmpty()) {
      return Optional.of(reject(Code.INVALID, "%s needs an agent id", command));
    }
    if (!hasTime || timeMs < 0) {
      return Optional.of(reject(Code.INVALID, "%s for agent %s needs a time >= 0, was %s",
          command, id, hasTime ? timeMs : "missing"));
    }
    return Optional.empty();
  }

  // ---- frameworks ----

  private RegistryResult addFramework(FrameworkInfo info, boolean present) {
    Optional<RegistryResult> bad = frameworkProblem(info, present);
    if (bad.isPresent()) {
      return bad.get();
    }
    String id = info.getId().getValue();
    if (frameworks.containsKey(id)) {
      return reject(Code.ALREADY_EXISTS, "framework %s is already registered", id);
    }
    putFramework(info);
    return Results.OK;
  }

  /**
   * Replaces a framework's info; like Mesos UPDATE_FRAMEWORK it may not change its user or
   * principal.
   */
  private RegistryResult updateFramework(FrameworkInfo info, boolean present) {
    Optional<RegistryResult> bad = frameworkProblem(info, present);
    if (bad.isPresent()) {
      return bad.get();
    }
    String id = info.getId().getValue();
    FrameworkInfo old = frameworks.get(id);
    if (old == null) {
      return reject(Code.NOT_FOUND, "framework %s is not registered", id);
    }
    if (!old.getUser().equals(info.getUser())) {
      return reject(Code.INVALID, "framework %s cannot change its user from '%s' to '%s'", id,
          old.getUser(), info.getUser());
    }
    if (!old.getPrincipal().equals(info.getPrincipal())) {
      return reject(Code.INVALID, "framework %s cannot change its principal from '%s' to '%s'",
          id, old.getPrincipal(), info.getPrincipal());
    }
    putFramework(info);
    return Results.OK;
  }

  private RegistryResult removeFramework(String id) {
    if (frameworks.remove(id) == null) {
      return reject(Code.NOT_FOUND, "framework %s is not registered", id.isEmpty() ? "''" : id);
    }
    frameworkViews.remove(id);
    frameworksChanged = true;
    return Results.OK;
  }

  private void putFramework(FrameworkInfo info) {
    String id = info.getId().getValue();
    frameworks.put(id, info);
    frameworkViews.put(id, Views.framework(info));
    frameworksChanged = true;
  }

  private static Optional<RegistryResult> frameworkProblem(FrameworkInfo info, boolean present) {
    if (!present || !info.hasId()) {
      return Optional.of(reject(Code.INVALID, "the framework's info and its id are required"));
    }
    String id = info.getId().getValue();
    Optional<String> badId = Validation.idProblem(id);
    if (badId.isPresent()) {
      return Optional.of(reject(Code.INVALID, "framework id '%s' %s", id, badId.get()));
    }
    double timeout = info.getFailoverTimeout();
    if (!Double.isFinite(timeout) || timeout < 0) {
      return Optional.of(reject(Code.INVALID,
          "failover_timeout of framework %s must be a number of seconds >= 0, was %s", id,
          Results.number(timeout)));
    }
    List<String> roles = Views.roles(info);
    for (String role : roles) {
      Optional<String> badRole = Validation.roleProblem(role);
      if (badRole.isPresent()) {
        return Optional.of(reject(Code.INVALID, "role '%s' of framework %s %s", role, id,
            badRole.get()));
      }
    }
    if (roles.stream().distinct().count() != roles.size()) {
      return Optional.of(reject(Code.INVALID, "framework %s names a role twice: %s", id, roles));
    }
    return Optional.empty();
  }

  // ---- weights, quota, maintenance ----

  private RegistryResult updateWeights(Result<TreeMap<String, Double>> checked) {
    if (!checked.ok()) {
      return reject(Code.INVALID, "%s", checked.problem());
    }
    weights.putAll(checked.value());
    return Results.OK;
  }

  private RegistryResult updateQuota(Result<QuotaConfig> checked) {
    if (!checked.ok()) {
      return reject(Code.INVALID, "%s", checked.problem());
    }
    QuotaConfig config = checked.value();
    if (config.getGuaranteesCount() == 0 && config.getLimitsCount() == 0) {
      quotas.remove(config.getRole());
    } else {
      quotas.put(config.getRole(), config);
    }
    return Results.OK;
  }

  private RegistryResult updateMaintenance(Result<List<MaintenanceWindow>> checked) {
    if (!checked.ok()) {
      return reject(Code.INVALID, "%s", checked.problem());
    }
    maintenance = checked.value();
    return Results.OK;
  }

  // ---- view, snapshot, restore ----

  private void publish() {
    if (frameworksChanged) {
      frameworkList = List.copyOf(frameworkViews.values());
      frameworksChanged = false;
    }
    TreeMap<String, Quota> quotaViews = new TreeMap<>();
    quotas.forEach((role, config) -> quotaViews.put(role, Views.quota(config)));
    view = new Registry(lastIndex, agentViews.list(), frameworkList, weights, quotaViews,
        maintenance.stream().map(Views::window).toList());
    Check.invariant(
        agentViews.size() == admitted.size() + unreachable.size() + gone.size(),
        "agent views %s != admitted %s + unreachable %s + gone %s",
        agentViews.size(), admitted.size(), unreachable.size(), gone.size());
  }

  /**
   * The whole registry, every list sorted by key, in deterministic protobuf serialisation: two
   * registries that applied the same commands have byte-identical snapshots.
   */
  public byte[] snapshot() {
    RegistrySnapshot.Builder snapshot = RegistrySnapshot.newBuilder().setLastIndex(lastIndex)
        .addAllAdmitted(admitted.values())
        .addAllUnreachable(unreachable.values())
        .addAllGone(gone.values())
        .addAllFrameworks(frameworks.values())
        .addAllQuotas(quotas.values())
        .addAllMaintenance(maintenance);
    weights.forEach((role, w) -> snapshot.addWeights(
        Weight.newBuilder().setRole(role).setWeight(w)));
    return deterministicBytes(snapshot.build());
  }

  /**
   * Replaces the whole registry with {@code bytes} from {@link #snapshot}, as of {@code index}.
   * Nothing changes when the bytes do not decode or break an invariant.
   *
   * @throws InvalidProtocolBufferException when the snapshot is corrupt; the registry is unchanged
   */
  public void restore(long index, byte[] bytes) throws InvalidProtocolBufferException {
    Check.argument(index >= 0, "snapshot index must be >= 0, was %s", index);
    RegistrySnapshot snapshot = RegistrySnapshot.parseFrom(bytes);
    Snapshots.check(snapshot);
    admitted.clear();
    unreachable.clear();
    gone.clear();
    agentViews.clear();
    frameworks.clear();
    frameworkViews.clear();
    weights.clear();
    quotas.clear();
    snapshot.getAdmittedList().forEach(this::putAdmitted);
    for (UnreachableAgent u : snapshot.getUnreachableList()) {
      String id = u.getInfo().getId().getValue();
      unreachable.put(id, u);
      agentViews.put(Views.agent(u.getInfo(), AgentState.UNREACHABLE,
          OptionalLong.of(u.getTimeMs())));
    }
    for (GoneAgent g : snapshot.getGoneList()) {
      gone.put(g.getAgentId().getValue(), g);
      agentViews.put(Views.gone(g.getAgentId().getValue(),
          g.getTimeMs()));
    }
    snapshot.getFrameworksList().forEach(this::putFramework);
    snapshot.getWeightsList().forEach(w -> weights.put(w.getRole(), w.getWeight()));
    snapshot.getQuotasList().forEach(q -> quotas.put(q.getRole(), q));
    maintenance = List.copyOf(snapshot.getMaintenanceList());
    lastIndex = index;
    frameworksChanged = true;
    publish();
    LOG.info("registry restored index={} agents={} frameworks={}", index, agentViews.size(),
        frameworks.size());
  }

  /** The agent ids pruned by a result, for callers and tests. */
  public static List<String> pruned(RegistryResult result) {
    return result.getPrunedList().stream().map(AgentID::getValue).toList();
  }

  static byte[] deterministicBytes(MessageLite message) {
    byte[] bytes = new byte[message.getSerializedSize()];
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.useDeterministicSerialization();
    try {
      message.writeTo(out);
    } catch (java.io.IOException e) {
      throw new AssertionError("writing to a byte array of the exact size cannot fail", e);
    }
    out.checkNoSpaceLeft();
    return bytes;
  }
}
