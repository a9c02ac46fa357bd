package io.cairn.coordination.internal.server;

import io.cairn.consensus.Applied;
import io.cairn.consensus.ReplicatedLog;
import io.cairn.coordination.internal.core.Command;
import io.cairn.coordination.internal.core.CoordinationCore;
import io.cairn.coordination.internal.core.Session;
import io.cairn.coordination.internal.core.WatchTable;
import io.cairn.coordination.internal.jute.Code;
import io.cairn.coordination.internal.jute.Frames;
import io.cairn.coordination.internal.jute.Frames.ConnectRequest;
import io.cairn.coordination.internal.jute.Frames.ConnectResponse;
import io.cairn.coordination.internal.jute.Frames.RequestFrame;
import io.cairn.coordination.internal.jute.JuteOutput;
import io.cairn.coordination.internal.jute.OpCode;
import io.cairn.coordination.internal.jute.Requests.PathOnly;
import io.cairn.coordination.internal.jute.Responses.PathResponse;
import io.cairn.coordination.internal.jute.Responses.WatcherEvent;
import io.cairn.env.Clock;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node-local ZooKeeper server: connections, sessions attached here, watches, and the request
 * pipeline. Writes and session changes are proposed to the {@link ReplicatedLog}; reads are served
 * from the local {@link CoordinationCore}; {@code sync} waits for {@link
 * ReplicatedLog#readBarrier()}.
 *
 * <p>Threading: transports call in from any thread; committed entries arrive through {@link
 * #stateMachine()} on the log's apply thread. One lock guards the core, the watch table and all
 * connection state, so a watch event produced by an apply is always queued on a connection before
 * any later read reply that shows the change (ZooKeeper's ordering guarantee). Replies are queued
 * to {@link ClientChannel#send}, which keeps their order.
 */
public final class CoordinationServer {
  static final String NAMESPACE = "coordination";
  private static final Logger LOG = LoggerFactory.getLogger(CoordinationServer.class);
  private static final int STATE_SYNC_CONNECTED = 3;
  private static final Duration OPERATOR_TIMEOUT = Duration.ofSeconds(10);

  final Object lock = new Object();
  final CoordinationCore core = new CoordinationCore();
  final WatchTable watches = new WatchTable();
  final ServerConfig config;
  final ReplicatedLog log;
  final Clock clock;
  private final RequestHandler requests;
  private final SecureRandom passwords = new SecureRandom();
  private final AtomicLong connectionIds = new AtomicLong();
  final Map<Long, Connection> connections = new HashMap<>();
  final Map<Long, Connection> bySession = new HashMap<>();
  /** Node id named by the last {@link Command.Touch} of each session held elsewhere. */
  final Map<Long, Integer> heldBy = new HashMap<>();
  final ServerMetrics metrics = new ServerMetrics();
  final long startedNanos;

  /** Monotonic deadline per session owned by this node; expiry proposes a close. */
  private final Map<Long, Long> deadlines = new HashMap<>();

  private final Set<Long> expiring = new HashSet<>();
  private final Set<String> reaping = new HashSet<>();
  private long nextReapNanos;
  /** {@link Command.Touch} proposals of this node not yet settled. */
  private int touchesInFlight;
  /** The shell's session on this node, opened on first use. */
  private volatile OperatorSession operator;

  public CoordinationServer(ServerConfig config, ReplicatedLog log, Clock clock) {
    this.config = config;
    this.log = log;
    this.clock = clock;
    this.requests = new RequestHandler(this);
    this.startedNanos = clock.monotonicNanos();
  }

  /** The state machine to register with the replicated log under namespace "coordination". */
  public CoordinationStateMachine stateMachine() {
    return new CoordinationStateMachine(this);
  }

  /** Registers a new transport connection; returns its handle for later calls. */
  public long open(ClientChannel channel) {
    synchronized (lock) {
      long id = connectionIds.incrementAndGet();
      connections.put(id, new Connection(id, new CountingChannel(channel, metrics)));
      return id;
    }
  }

  /** The connect handshake frame of connection {@code id}. */
  public void onConnect(long id, ConnectRequest request) {
    enqueue(id, request);
  }

  /** A request frame of connection {@code id}. */
  public void onRequest(long id, RequestFrame frame) {
    enqueue(id, frame);
  }

  /** The transport closed connection {@code id}: watches go, the session waits for its timeout. */
  public void onClosed(long id) {
    synchronized (lock) {
      Connection connection = connections.remove(id);
      if (connection == null) {
        return;
      }
      connection.closed = true;
      watches.removeWatcher(id);
      if (connection.sessionId != 0 && bySession.get(connection.sessionId) == connection) {
        bySession.remove(connection.sessionId);
      }
    }
  }

  private void enqueue(long id, Object message) {
    synchronized (lock) {
      Connection connection = connections.get(id);
      if (connection == null || connection.closed) {
        return;
      }
      if (connection.inbox.size() >= config.maxQueuedRequestsPerConnection()) {
        LOG.warn("closing connection={} queued={}: too many requests", id, connection.inbox.size());
        close(connection);
        return;
      }
      connection.inbox.add(message);
      connection.arrivals.add(clock.monotonicNanos());
      connection.received++;
      metrics.received();
      drain(connection);
    }
  }

  /** Starts queued requests while the ordering rules allow. Caller holds the lock. */
  private void drain(Connection connection) {
    while (!connection.closed && !connection.inbox.isEmpty()) {
      Object message = connection.inbox.peek();
      boolean write = message instanceof RequestFrame frame && RequestHandler.isWrite(frame.type());
      if (!connection.mayStart(write)) {
        return;
      }
      connection.inbox.poll();
      long arrived = connection.arrivals.poll();
      int inflightBefore = connection.inflight.size();
      if (message instanceof ConnectRequest c) {
        connect(connection, c);
      } else {
        requests.handle(connection, (RequestFrame) message);
      }
      if (connection.inflight.size() > inflightBefore) {
        connection.inflight.peekLast().arrivedNanos = arrived; // answered in complete()
      } else {
        metrics.latency(clock.monotonicNanos() - arrived); // answered already
      }
    }
  }

  /** Starts tracking an asynchronous request of {@code connection}. Caller holds the lock. */
  Connection.Pending begin(Connection connection, boolean write) {
    Connection.Pending pending = new Connection.Pending(write);
    connection.inflight.add(pending);
    return pending;
  }

  /**
   * Completes {@code pending} with {@code reply} (null: nothing to send), sends every completed
   * reply at the head of the connection's queue, then starts what may start now.
   */
  void complete(Connection connection, Connection.Pending pending, byte[] reply) {
    synchronized (lock) {
      pending.done = true;
      pending.reply = reply;
      while (!connection.inflight.isEmpty() && connection.inflight.peek().done) {
        Connection.Pending head = connection.inflight.poll();
        if (head.reply != null && !connection.closed) {
          connection.channel.send(head.reply);
          if (head.arrivedNanos != 0) {
            metrics.latency(clock.monotonicNanos() - head.arrivedNanos);
            head.arrivedNanos = 0;
          }
        }
        if (head.closeAfter && !connection.closed) {
          close(connection);
        }
      }
      drain(connection);
    }
  }

  void close(Connection connection) {
    connection.closed = true;
    connection.inbox.clear();
    connection.arrivals.clear();
    connection.channel.closeAfterFlush();
  }

  /** Resets the expiry deadline of the connection's session (any request or ping). */
  void touch(Connection connection) {
    if (connection.sessionId != 0 && deadlines.containsKey(connection.sessionId)) {
      deadlines.put(
          connection.sessionId, clock.monotonicNanos() + connection.timeoutMs * 1_000_000L);
    }
  }

  private void connect(Connection connection, ConnectRequest request) {
    if (request.lastZxidSeen() > core.lastZxid()) {
      LOG.info(
          "refusing connection={} lastZxidSeen={} ahead of zxid={}",
          connection.id,
          request.lastZxidSeen(),
          core.lastZxid());
      close(connection);
      return;
    }
    if (request.sessionId() != 0) {
      reattach(connection, request);
      return;
    }
    int timeoutMs = config.negotiate(request.timeoutMs());
    byte[] password = new byte[16];
    passwords.nextBytes(password);
    byte[] command =
        Command.encode(new Command.CreateSession(timeoutMs, password, clock.wallMillis()));
    Connection.Pending pending = begin(connection, false);
    log.propose(NAMESPACE, command)
        .whenComplete(
            (applied, failure) -> {
              byte[] reply = null;
              synchronized (lock) {
                if (failure != null) {
                  LOG.info(
                      "create session failed connection={}: {}", connection.id, failure.toString());
                  close(connection);
                } else {
                  long sessionId = CoordinationCore.sessionIdOf(applied.result());
                  reply = attach(connection, sessionId, timeoutMs, password);
                }
              }
              complete(connection, pending, reply);
            });
  }

  private void reattach(Connection connection, ConnectRequest request) {
    Session session = core.session(request.sessionId());
    if (session == null || !Arrays.equals(session.password(), request.password())) {
      connection.channel.send(new ConnectResponse(0, 0, 0, new byte[16], false).toBytes());
      close(connection);
      return;
    }
    Connection previous = bySession.get(session.id());
    if (previous != null && previous != connection) {
      close(previous);
    }
    connection.channel.send(
        attach(connection, session.id(), session.timeoutMs(), session.password()));
  }

  /** Binds the session to the connection; returns the ConnectResponse to send (null if closed). */
  private byte[] attach(Connection connection, long sessionId, int timeoutMs, byte[] password) {
    if (connection.closed) {
      return null;
    }
    connection.sessionId = sessionId;
    connection.timeoutMs = timeoutMs;
    connection.connected = true;
    bySession.put(sessionId, connection);
    deadlines.put(sessionId, clock.monotonicNanos() + timeoutMs * 1_000_000L);
    expiring.remove(sessionId);
    LOG.debug(
        "session=0x{} connection={} timeoutMs={}",
        Long.toHexString(sessionId),
        connection.id,
        timeoutMs);
    return new ConnectResponse(0, timeoutMs, sessionId, password, false).toBytes();
  }

  /**
   * Applies a committed command (called by {@link CoordinationStateMachine} on the apply thread):
   * updates the core, fires watches on this node's connections, closes connections of sessions that
   * ended.
   */
  byte[] apply(long index, byte[] command) {
    synchronized (lock) {
      CoordinationCore.Outcome outcome = core.apply(index, command);
      for (WatchTable.Delivery delivery : watches.trigger(outcome.changes())) {
        Connection target = connections.get(delivery.watcher());
        if (target != null && !target.closed) {
          target.channel.send(
              Frames.encodeReply(
                  OpCode.XID_NOTIFICATION,
                  outcome.zxid(),
                  Code.OK,
                  new WatcherEvent(delivery.type(), STATE_SYNC_CONNECTED, delivery.path())));
        }
      }
      if (outcome.closedSession() != 0) {
        sessionEnded(outcome.closedSession());
      }
      touched(outcome.touchedSessions(), outcome.touchedBy());
      return CoordinationCore.encodeResult(outcome.result());
    }
  }

  /**
   * Another node holds these sessions' connections and saw them alive: a deadline kept here for
   * such a session (this node held it before, or adopted it as leader) moves one timeout on, so
   * only the node the client talks to decides its expiry while it keeps touching.
   */
  private void touched(List<Long> sessionIds, int nodeId) {
    long now = clock.monotonicNanos();
    for (long sessionId : sessionIds) {
      Session session = core.session(sessionId);
      if (session != null && nodeId != 0) {
        heldBy.put(sessionId, nodeId);
      }
      if (session != null && deadlines.containsKey(sessionId) && !bySession.containsKey(sessionId)) {
        deadlines.put(sessionId, now + session.timeoutMs() * 1_000_000L);
      }
    }
  }

  private void sessionEnded(long sessionId) {
    deadlines.remove(sessionId);
    heldBy.remove(sessionId);
    expiring.remove(sessionId);
    Connection connection = bySession.remove(sessionId);
    // A connection whose session ended without its own closeSession request (expiry) is cut off;
    // the client then learns of the expiry when it reconnects.
    if (connection != null && !connection.closingSession) {
      close(connection);
    }
  }

  /** Sends a notification for SetWatches (zxid -1: no transaction triggered it). */
  void notify(Connection connection, int type, String path) {
    connection.channel.send(
        Frames.encodeReply(
            OpCode.XID_NOTIFICATION,
            -1,
            Code.OK,
            new WatcherEvent(type, STATE_SYNC_CONNECTED, path)));
  }

  /** Proposes {@code command} for {@code connection} and replies with the applied result. */
  void proposeWrite(Connection connection, int xid, byte[] command, boolean closeAfter) {
    Connection.Pending pending = begin(connection, true);
    pending.closeAfter = closeAfter;
    log.propose(NAMESPACE, command)
        .whenComplete(
            (applied, failure) -> {
              if (failure != null) {
                synchronized (lock) {
                  LOG.info(
                      "write failed connection={} xid={}: {}",
                      connection.id,
                      xid,
                      failure.toString());
                  close(connection);
                }
                complete(connection, pending, null);
              } else {
                complete(connection, pending, replyFrame(xid, applied));
              }
            });
  }

  /** The reply to a write: header with the entry's zxid, then the body when it succeeded. */
  private static byte[] replyFrame(int xid, Applied applied) {
    byte[] result = applied.result();
    int err = CoordinationCore.resultError(result);
    JuteOutput out = new JuteOutput();
    out.writeInt(xid).writeLong(applied.index()).writeInt(err);
    byte[] header = out.toByteArray();
    if (err != Code.OK || result.length <= 4) {
      return header;
    }
    byte[] frame = Arrays.copyOf(header, header.length + result.length - 4);
    System.arraycopy(result, 4, frame, header.length, result.length - 4);
    return frame;
  }

  /** sync: waits for the read barrier, then answers with the path. */
  void sync(Connection connection, int xid, PathOnly request) {
    Connection.Pending pending = begin(connection, false);
    log.readBarrier()
        .whenComplete(
            (index, failure) -> {
              byte[] reply = null;
              synchronized (lock) {
                if (failure != null) {
                  close(connection);
                } else {
                  reply =
                      Frames.encodeReply(
                          xid, core.lastZxid(), Code.OK, new PathResponse(request.path()));
                }
              }
              complete(connection, pending, reply);
            });
  }

  /**
   * Periodic work, called every tick by the transport: proposes the close of sessions owned here
   * whose deadline passed, and (on the leader) the reaping of empty containers and expired TTL
   * nodes.
   */
  public void tick() {
    tickLocked();
    OperatorSession session = operator;
    if (session != null) {
      session.keepAlive();
    }
  }

  private void tickLocked() {
    synchronized (lock) {
      long now = clock.monotonicNanos();
      if (log.status().leadership().local()) {
        adoptOrphanSessions(now);
      }
      // Collect first: a proposal may be applied before propose returns, which edits deadlines.
      List<Long> expired = new ArrayList<>();
      for (Map.Entry<Long, Long> entry : deadlines.entrySet()) {
        if (entry.getValue() - now < 0 && expiring.add(entry.getKey())) {
          expired.add(entry.getKey());
        }
      }
      for (long sessionId : expired) {
        LOG.info("session=0x{} expired", Long.toHexString(sessionId));
        proposeSystem(new Command.CloseSession(sessionId, clock.wallMillis()), null);
      }
      proposeTouch();
      if (now - nextReapNanos >= 0 && log.status().leadership().local()) {
        nextReapNanos = now + config.containerCheckIntervalMs() * 1_000_000L;
        for (String path : core.tree().reapable(clock.wallMillis())) {
          if (reaping.add(path)) {
            proposeSystem(new Command.Reap(path, clock.wallMillis()), path);
          }
        }
      }
    }
  }

  /**
   * Gives every live session without a local deadline (restored from a snapshot or the log, its
   * client never came back here) one full timeout from now; the leader then expires it unless a
   * client reattaches. Without this, a restart would keep such sessions' ephemerals forever.
   */
  private void adoptOrphanSessions(long now) {
    for (Session session : core.sessions().values()) {
      if (!deadlines.containsKey(session.id())) {
        deadlines.put(session.id(), now + session.timeoutMs() * 1_000_000L);
      }
    }
  }

  /**
   * Tells every node, through the log, that the sessions attached here are alive (once per tick,
   * in chunks of {@link Command#TOUCH_SESSIONS_MAX}, skipped while the last round is in flight):
   * the leader expires a session without a local connection only when nobody touched it for a
   * full timeout. Caller holds the lock.
   */
  private void proposeTouch() {
    if (touchesInFlight > 0 || bySession.isEmpty()
        || log.status().membership().voters().size() == 1) {
      return; // A group of one: this node holds every connection and decides every expiry.
    }
    List<Long> held = new ArrayList<>(bySession.keySet());
    held.sort(null);
    for (int from = 0; from < held.size(); from += Command.TOUCH_SESSIONS_MAX) {
      List<Long> chunk = held.subList(from, Math.min(held.size(), from + Command.TOUCH_SESSIONS_MAX));
      touchesInFlight++;
      proposeTouchChunk(chunk);
    }
  }

  private void proposeTouchChunk(List<Long> chunk) {
    log.propose(NAMESPACE, Command.encode(new Command.Touch(chunk, clock.wallMillis(), log.status().nodeId())))
        .whenComplete(
            (applied, failure) -> {
              synchronized (lock) {
                touchesInFlight--;
                if (failure != null) {
                  LOG.debug("touching sessions failed, next tick retries: {}", failure.toString());
                }
              }
            });
  }

  private void proposeSystem(Command command, String reapPath) {
    log.propose(NAMESPACE, Command.encode(command))
        .whenComplete(
            (applied, failure) -> {
              synchronized (lock) {
                if (reapPath != null) {
                  reaping.remove(reapPath);
                }
                if (failure != null && command instanceof Command.CloseSession c) {
                  expiring.remove(c.sessionId());
                  LOG.warn(
                      "expiring session=0x{} failed, will retry: {}",
                      Long.toHexString(c.sessionId()),
                      failure.toString());
                }
              }
            });
  }

  /**
   * This node's operator session for the shell's writes (created on first call, opened on first
   * use); replies wait at most {@code OPERATOR_TIMEOUT}.
   */
  public OperatorSession operatorSession() {
    synchronized (lock) {
      if (operator == null) {
        operator = new OperatorSession(this, OPERATOR_TIMEOUT);
      }
      return operator;
    }
  }

  /** Closes the operator session if one was opened (its ephemerals go). Not under the lock. */
  public void closeOperatorSession() {
    OperatorSession session = operator;
    if (session != null) {
      session.close();
    }
  }

  /** The configuration this server runs with. */
  public ServerConfig config() {
    return config;
  }
}
