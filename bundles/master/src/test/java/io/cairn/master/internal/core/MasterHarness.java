package io.cairn.master.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.cairn.allocator.AllocatorBooks;
import io.cairn.allocator.AllocatorOptions;
import io.cairn.allocator.drf.internal.DrfAllocatorComponent;
import io.cairn.master.internal.proto.RegistryProtos.RegistryCommand;
import io.cairn.proto.agent.AgentMessage;
import io.cairn.proto.agent.Pong;
import io.cairn.proto.agent.RegisterAgent;
import io.cairn.proto.agent.StatusUpdate;
import io.cairn.proto.mesos.v1.Protos.AgentID;
import io.cairn.proto.mesos.v1.Protos.AgentInfo;
import io.cairn.proto.mesos.v1.Protos.Attribute;
import io.cairn.proto.mesos.v1.Protos.CommandInfo;
import io.cairn.proto.mesos.v1.Protos.FrameworkID;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import io.cairn.proto.mesos.v1.Protos.MasterInfo;
import io.cairn.proto.mesos.v1.Protos.Offer;
import io.cairn.proto.mesos.v1.Protos.OfferID;
import io.cairn.proto.mesos.v1.Protos.Resource;
import io.cairn.proto.mesos.v1.Protos.TaskID;
import io.cairn.proto.mesos.v1.Protos.TaskInfo;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import io.cairn.proto.mesos.v1.Protos.Value;
import io.cairn.proto.mesos.v1.scheduler.Protos.Call;
import io.cairn.proto.mesos.v1.scheduler.Protos.Event;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Drives a {@link MasterCore} in tests: a manual clock, a real DRF allocator, a real {@link
 * RegistryCore} that commits proposals when {@link #commit} is called, and a recording outbox.
 */
final class MasterHarness implements MasterOutbox {
  final ManualClock clock = new ManualClock();
  final RegistryCore registry = new RegistryCore();
  final MasterCore core;
  final Map<Long, List<AgentMessage>> toAgents = new TreeMap<>();
  final Map<String, List<Event>> toStreams = new TreeMap<>();
  final List<Long> closedAgents = new ArrayList<>();
  final List<String> closedStreams = new ArrayList<>();
  private final Deque<long[]> proposalIds = new ArrayDeque<>();
  private final Deque<RegistryCommand> proposals = new ArrayDeque<>();
  private long index;

  MasterHarness() {
    this(MasterSettings.DEFAULTS, List.of());
  }

  /** A master elected with {@code admitted} already in the registry (a fail-over). */
  MasterHarness(MasterSettings settings, List<AgentInfo> admitted) {
    for (AgentInfo agent : admitted) {
      registry.apply(++index, RegistryCommand.newBuilder().setAdmitAgent(
          io.cairn.master.internal.proto.RegistryProtos.AdmitAgent.newBuilder().setInfo(agent))
          .build());
    }
    MasterInfo info = MasterInfo.newBuilder().setId("m1").setIp(0x7f000001).setPort(5050)
        .setHostname("localhost").build();
    core = new MasterCore(settings, clock,
        new DrfAllocatorComponent().create(AllocatorOptions.DEFAULTS, AllocatorBooks.EMPTY),
        this, info, 3, registry.view());
  }

  @Override
  public void toAgent(long connectionId, AgentMessage message) {
    toAgents.computeIfAbsent(connectionId, k -> new ArrayList<>()).add(message);
  }

  @Override
  public void closeAgent(long connectionId, String reason) {
    closedAgents.add(connectionId);
  }

  @Override
  public void toFramework(String streamId, Event event) {
    toStreams.computeIfAbsent(streamId, k -> new ArrayList<>()).add(event);
  }

  final Map<String, List<io.cairn.proto.mesos.v1.master.Protos.Event>> toOperators =
      new TreeMap<>();

  @Override
  public void toOperatorStream(String streamId,
      io.cairn.proto.mesos.v1.master.Protos.Event event) {
    toOperators.computeIfAbsent(streamId, k -> new ArrayList<>()).add(event);
  }

  @Override
  public void closeStream(String streamId, String reason) {
    closedStreams.add(streamId);
  }

  @Override
  public void propose(long proposalId, RegistryCommand command) {
    proposalIds.add(new long[] {proposalId});
    proposals.add(command);
  }

  /** Applies every pending proposal to the registry and reports the results, in order. */
  int commit() {
    int n = 0;
    while (!proposals.isEmpty()) {
      RegistryCommand command = proposals.poll();
      long id = proposalIds.poll()[0];
      core.onRegistryResult(id, registry.apply(++index, command));
      n++;
    }
    return n;
  }

  // ---- agents ------------------------------------------------------------------------------

  static AgentInfo agentInfo(String host, double cpus, double mem) {
    return AgentInfo.newBuilder().setHostname(host)
        .addResources(scalar("cpus", cpus)).addResources(scalar("mem", mem))
        .addResources(Resource.newBuilder().setName("ports").setType(Value.Type.RANGES)
            .setRanges(Value.Ranges.newBuilder().addRange(
                Value.Range.newBuilder().setBegin(31000).setEnd(32000))))
        .addAttributes(Attribute.newBuilder().setName("rack").setType(Value.Type.TEXT)
            .setText(Value.Text.newBuilder().setValue("a")))
        .build();
  }

  static Resource scalar(String name, double value) {
    return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
  }

  /** Registers an agent on {@code connection} and returns its id. */
  String registerAgent(long connection, String host) {
    core.onAgentMessage(connection, AgentMessage.newBuilder().setRegisterAgent(
        RegisterAgent.newBuilder().setAgentInfo(agentInfo(host, 4, 4096))).build());
    assertEquals(1, commit(), "one AdmitAgent proposal");
    AgentMessage answer = lastToAgent(connection);
    assertTrue(answer.hasAgentRegistered(), "AgentRegistered: " + answer);
    assertEquals(3, answer.getLeaderTerm());
    return answer.getAgentRegistered().getAgentId().getValue();
  }

  void pong(long connection) {
    core.onAgentMessage(connection, AgentMessage.newBuilder().setLeaderTerm(3)
        .setPong(Pong.newBuilder()).build());
  }

  void statusUpdate(long connection, String agentId, String frameworkId, String taskId,
      TaskState state, byte uuidByte) {
    statusUpdate(connection, agentId, frameworkId, TaskStatus.newBuilder()
        .setTaskId(TaskID.newBuilder().setValue(taskId)).setState(state).build(), uuidByte);
  }

  /** A status update from the agent carrying {@code status} (health, reason ... as given). */
  void statusUpdate(long connection, String agentId, String frameworkId, TaskStatus status,
      byte uuidByte) {
    ByteString uuid = ByteString.copyFrom(new byte[] {uuidByte, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 1});
    core.onAgentMessage(connection, AgentMessage.newBuilder().setLeaderTerm(3).setStatusUpdate(
        StatusUpdate.newBuilder().setFrameworkId(FrameworkID.newBuilder().setValue(frameworkId))
            .setAgentId(AgentID.newBuilder().setValue(agentId))
            .setStatus(status)
            .setTimestamp(1).setUuid(uuid)).build());
  }

  AgentMessage lastToAgent(long connection) {
    List<AgentMessage> list = toAgents.getOrDefault(connection, List.of());
    assertTrue(!list.isEmpty(), "nothing sent to agent connection " + connection);
    return list.get(list.size() - 1);
  }

  List<AgentMessage> agentMessages(long connection, AgentMessage.BodyCase body) {
    return toAgents.getOrDefault(connection, List.of()).stream()
        .filter(m -> m.getBodyCase() == body).toList();
  }

  // ---- frameworks --------------------------------------------------------------------------

  static FrameworkInfo frameworkInfo(String name) {
    return FrameworkInfo.newBuilder().setUser("root").setName(name).addRoles("*")
        .addCapabilities(FrameworkInfo.Capability.newBuilder()
            .setType(FrameworkInfo.Capability.Type.MULTI_ROLE))
        .build();
  }

  /** Subscribes a new framework on {@code stream} and returns its id. */
  String subscribe(String stream, FrameworkInfo info) {
    CallResult result = core.onSubscribe(stream, Call.newBuilder().setType(Call.Type.SUBSCRIBE)
        .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info)).build());
    assertTrue(result.accepted(), result.message());
    commit();
    Event first = events(stream, Event.Type.SUBSCRIBED).get(0);
    return first.getSubscribed().getFrameworkId().getValue();
  }

  List<Event> events(String stream, Event.Type type) {
    return toStreams.getOrDefault(stream, List.of()).stream()
        .filter(e -> e.getType() == type).toList();
  }

  /** Every offer sent on {@code stream} so far, after a tick runs the pending allocation. */
  List<Offer> offers(String stream) {
    core.onTick();
    List<Offer> all = new ArrayList<>();
    events(stream, Event.Type.OFFERS).forEach(e -> all.addAll(e.getOffers().getOffersList()));
    return all;
  }

  List<TaskStatus> updates(String stream) {
    return events(stream, Event.Type.UPDATE).stream().map(e -> e.getUpdate().getStatus())
        .toList();
  }

  CallResult call(String stream, String frameworkId, Call.Builder call) {
    return core.onCall(stream, call.setFrameworkId(FrameworkID.newBuilder()
        .setValue(frameworkId)).build());
  }

  static TaskInfo task(String id, String agentId, double cpus, double mem) {
    return TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
        .setAgentId(AgentID.newBuilder().setValue(agentId))
        .addResources(scalar("cpus", cpus)).addResources(scalar("mem", mem))
        .setCommand(CommandInfo.newBuilder().setValue("sleep 100")).build();
  }

  static Call.Builder accept(List<String> offerIds, TaskInfo... tasks) {
    Call.Accept.Builder accept = Call.Accept.newBuilder();
    offerIds.forEach(id -> accept.addOfferIds(OfferID.newBuilder().setValue(id)));
    accept.addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
        .setLaunch(Offer.Operation.Launch.newBuilder().addAllTaskInfos(List.of(tasks))));
    return Call.newBuilder().setType(Call.Type.ACCEPT).setAccept(accept);
  }
}
