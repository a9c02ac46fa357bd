package io.cairn.bench.master;

import com.google.protobuf.ByteString;
import io.cairn.proto.agent.AgentMessage;
import io.cairn.proto.agent.Pong;
import io.cairn.proto.agent.RegisterAgent;
import io.cairn.proto.agent.ReregisterAgent;
import io.cairn.proto.agent.RunTask;
import io.cairn.proto.agent.StatusUpdate;
import io.cairn.proto.mesos.v1.Protos.AgentID;
import io.cairn.proto.mesos.v1.Protos.AgentInfo;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import io.cairn.proto.mesos.v1.Protos.Task;
import io.cairn.proto.mesos.v1.Protos.TaskInfo;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One simulated agent: no process, no containerizer, only the agent channel. It registers (or,
 * once it has an id, re-registers with the tasks it "runs" and their frameworks), answers every
 * Ping with a Pong, and answers every RunTask with one TASK_RUNNING status update. It never
 * retries an update and ignores acknowledgements and everything else, the least a well-behaved
 * agent must do.
 *
 * <p>Sharable only in sequence: it sits in one channel's pipeline at a time.
 *
 * <p>Threading: all state is touched on the Netty event loop of the agent's current channel; a
 * reconnect (new channel) is started by {@link SimAgents} only after the old channel closed, and
 * Netty's registration gives the happens-before edge between the two loops.
 */
@ChannelHandler.Sharable
final class SimAgent extends SimpleChannelInboundHandler<ByteBuf> {
  private final SimAgents owner;
  private final int index;
  private final AgentInfo.Builder info;
  private final Map<String, Task> tasks = new LinkedHashMap<>();
  private final Map<String, FrameworkInfo> frameworks = new LinkedHashMap<>();
  private String agentId;
  private long term;
  private long updates;
  private volatile Channel channel;
  /**
   * The ReregisterAgent frame (length prefix included) prepared before the fail-over clock
   * starts (null: build it).
   */
  private volatile byte[] preparedReregistration;
  /** nanoTime of this phase's steps: started, TCP connected, upgraded (101), answered. */
  volatile long startedNanos;
  volatile long connectedNanos;
  volatile long upgradedNanos;
  volatile long answeredNanos;

  SimAgent(SimAgents owner, int index, AgentInfo.Builder info) {
    this.owner = owner;
    this.index = index;
    this.info = info;
  }

  int index() {
    return index;
  }

  Channel channel() {
    return channel;
  }

  void attach(Channel channel) {
    this.channel = channel;
  }

  int taskCount() {
    return tasks.size();
  }

  /** Called once the upgrade answered 101: the first frame of this connection. */
  void onUpgraded(ChannelHandlerContext ctx) {
    upgradedNanos = System.nanoTime();
    if (agentId == null) {
      send(ctx, AgentMessage.newBuilder().setRegisterAgent(
          RegisterAgent.newBuilder().setAgentInfo(info).setVersion("bench")).build());
      return;
    }
    send(ctx, reregistration());
  }

  /**
   * The prepared ReregisterAgent as one frame (4-byte length, then the message), or null when
   * none is prepared (then {@link #onUpgraded} builds the message); hands it over once.
   */
  byte[] takePreparedFrame() {
    byte[] prepared = preparedReregistration;
    preparedReregistration = null;
    return prepared;
  }

  /**
   * Serializes the ReregisterAgent this agent will send to the next master (its tasks and
   * frameworks as they are now), so that the fleet's CPU, which shares this machine with the
   * master under test, is spent before the fail-over clock starts; a real agent spends it on its
   * own host. Call only while the agent has no connection.
   */
  void prepareReregistration() {
    if (agentId != null) {
      byte[] message = reregistration().toByteArray();
      preparedReregistration = ByteBuffer.allocate(Integer.BYTES + message.length)
          .putInt(message.length).put(message).array();
    }
  }

  /** Bytes of the prepared re-registration, 0 when none is prepared. */
  long preparedBytes() {
    byte[] prepared = preparedReregistration;
    return prepared == null ? 0 : prepared.length;
  }

  private AgentMessage reregistration() {
    ReregisterAgent.Builder again = ReregisterAgent.newBuilder()
        .setAgentInfo(info.clone().setId(AgentID.newBuilder().setValue(agentId)))
        .setVersion("bench").addAllTasks(tasks.values())
        .addAllFrameworks(frameworks.values());
    return AgentMessage.newBuilder().setReregisterAgent(again).build();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) throws Exception {
    byte[] bytes = new byte[frame.readableBytes()];
    frame.readBytes(bytes);
    AgentMessage message = AgentMessage.parseFrom(bytes);
    switch (message.getBodyCase()) {
      case AGENT_REGISTERED -> {
        answeredNanos = System.nanoTime();
        agentId = message.getAgentRegistered().getAgentId().getValue();
        term = message.getLeaderTerm();
        owner.onRegistered(this, false);
      }
      case AGENT_REREGISTERED -> {
        answeredNanos = System.nanoTime();
        term = message.getLeaderTerm();
        owner.onRegistered(this, true);
      }
      case PING -> send(ctx, AgentMessage.newBuilder().setLeaderTerm(term).setPong(
          Pong.newBuilder().setSequence(message.getPing().getSequence())).build());
      case RUN_TASK -> run(ctx, message.getRunTask());
      case SHUTDOWN_AGENT -> owner.onRefused(this, message.getShutdownAgent().getMessage());
      default -> {
        // Acknowledgements, checkpoints, kills...: the bench's tasks need none of them.
      }
    }
  }

  private void run(ChannelHandlerContext ctx, RunTask run) {
    TaskInfo task = run.getTask();
    FrameworkInfo framework = run.getFramework();
    frameworks.putIfAbsent(framework.getId().getValue(), framework);
    TaskStatus status = TaskStatus.newBuilder().setTaskId(task.getTaskId())
        .setState(TaskState.TASK_RUNNING).setAgentId(task.getAgentId())
        .setSource(TaskStatus.Source.SOURCE_EXECUTOR).build();
    tasks.put(task.getTaskId().getValue(), Task.newBuilder().setName(task.getName())
        .setTaskId(task.getTaskId()).setFrameworkId(framework.getId())
        .setAgentId(task.getAgentId()).addAllResources(task.getResourcesList())
        .setState(TaskState.TASK_RUNNING).addStatuses(status).build());
    send(ctx, AgentMessage.newBuilder().setLeaderTerm(term).setStatusUpdate(
        StatusUpdate.newBuilder().setFrameworkId(framework.getId())
            .setAgentId(task.getAgentId()).setStatus(status)
            .setTimestamp(System.currentTimeMillis() / 1000.0).setUuid(uuid())
            .setLatestState(TaskState.TASK_RUNNING)).build());
  }

  /** A unique 16-byte update id: the agent's index and a per-agent counter. */
  private ByteString uuid() {
    ByteBuffer bytes = ByteBuffer.allocate(16);
    bytes.putLong(index).putLong(++updates);
    return ByteString.copyFrom(bytes.array());
  }

  private static void send(ChannelHandlerContext ctx, AgentMessage message) {
    ctx.writeAndFlush(Unpooled.wrappedBuffer(message.toByteArray()));
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    owner.onDisconnected(this);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    owner.onError(this, cause);
    ctx.close();
  }

  /** The tasks this agent reports on re-registration (for the summary). */
  List<Task> tasks() {
    return new ArrayList<>(tasks.values());
  }
}
