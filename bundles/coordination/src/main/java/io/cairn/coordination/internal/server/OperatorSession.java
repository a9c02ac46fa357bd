package io.cairn.coordination.internal.server;

import io.cairn.coordination.internal.jute.Frames.ConnectRequest;
import io.cairn.coordination.internal.jute.Frames.ConnectResponse;
import io.cairn.coordination.internal.jute.Frames.RequestFrame;
import io.cairn.coordination.internal.jute.JuteDecodeException;
import io.cairn.coordination.internal.jute.JuteInput;
import io.cairn.coordination.internal.jute.OpCode;
import io.cairn.coordination.internal.jute.Requests.Empty;
import io.cairn.coordination.internal.jute.Requests.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This node's own ZooKeeper session for the {@code zk:} shell's writes: an in-process client
 * connection to the {@link CoordinationServer}, so that a shell write is exactly the request a
 * remote client would send: queued in the session's order, proposed to the replicated log, checked
 * against ACLs as {@code world:anyone}, answered with ZooKeeper's error codes, firing the same
 * watches. Nothing here writes the tree directly. The session is opened on first use and kept
 * alive by {@link #keepAlive()} (the server's tick); ephemerals created through it live until
 * {@link #close()} (the coordination component stops) or the session expires. A connection the
 * server closes (a failed write on a follower without a leader) is reopened on the next call,
 * reattaching the session when it still lives.
 *
 * <p>Threading: callers (shell threads) block in {@link #call} up to its timeout; replies arrive on
 * whatever thread the server answers on. Locks: a {@link Link}'s monitor is only taken for its own
 * fields and never while calling the server (the server calls {@link Link#send} under its lock).
 */
public final class OperatorSession implements AutoCloseable {
  /** How long {@link #close()} waits for the session's close: it runs while the node stops. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

  private final CoordinationServer server;
  private final Duration timeout;
  private final AtomicInteger xids = new AtomicInteger();
  private final Object lock = new Object();
  private Link current;
  private long sessionId;
  private byte[] password = new byte[16];
  private boolean closed;

  /**
   * A reply: the header's zxid and error, and the body to decode (empty on error).
   *
   * @param zxid the zxid in the reply header
   * @param err 0 or a ZooKeeper error code
   * @param body the rest of the frame
   */
  public record Reply(long zxid, int err, JuteInput body) {}

  public OperatorSession(CoordinationServer server, Duration timeout) {
    this.server = server;
    this.timeout = timeout;
  }

  /**
   * Sends one request and waits for its reply.
   *
   * @throws OperatorException when the session cannot be opened, the connection closed or the
   *     reply did not come within the timeout
   */
  public Reply call(int type, Request request) {
    Link link = connected();
    int xid = xids.incrementAndGet();
    CompletableFuture<Reply> reply = link.expect(xid);
    link.lastSentNanos = server.clock.monotonicNanos();
    server.onRequest(link.id, new RequestFrame(xid, type, request));
    return await(reply, "the reply");
  }

  /** The session id in use, 0 before the first call. */
  public long sessionId() {
    synchronized (lock) {
      return sessionId;
    }
  }

  /** Pings when the session was idle for a third of its timeout (called every server tick). */
  public void keepAlive() {
    Link link;
    synchronized (lock) {
      link = current;
    }
    if (link == null || link.dead || !link.ready.isDone()
        || link.ready.isCompletedExceptionally()) {
      return;
    }
    long now = server.clock.monotonicNanos();
    if (now - link.lastSentNanos >= link.timeoutMs * 1_000_000L / 3) {
      link.lastSentNanos = now;
      server.onRequest(link.id, new RequestFrame(OpCode.XID_PING, OpCode.PING, new Empty()));
    }
  }

  /** Closes the session (its ephemerals go) and the connection; later calls fail. */
  @Override
  public void close() {
    Link link;
    synchronized (lock) {
      closed = true;
      link = current;
    }
    if (link == null || link.dead || !link.ready.isDone()
        || link.ready.isCompletedExceptionally()) {
      return;
    }
    int xid = xids.incrementAndGet();
    CompletableFuture<Reply> reply = link.expect(xid);
    server.onRequest(link.id, new RequestFrame(xid, OpCode.CLOSE_SESSION, new Empty()));
    try {
      await(reply, "the close of the operator session", CLOSE_TIMEOUT);
    } catch (OperatorException e) {
      // The node is stopping; the session then expires after its timeout like any other.
    }
    server.onClosed(link.id);
  }

  /** The open link, opening one (and the session, or reattaching it) when there is none. */
  private Link connected() {
    for (int attempt = 0; ; attempt++) {
      Link link;
      long reattach;
      byte[] secret;
      synchronized (lock) {
        if (closed) {
          throw new OperatorException("the operator session is closed (the service is stopping)");
        }
        if (current != null && !current.dead) {
          link = current;
          reattach = -1;
          secret = null;
        } else {
          link = new Link();
          current = link;
          reattach = sessionId;
          secret = password.clone();
        }
      }
      if (reattach >= 0) {
        link.id = server.open(link);
        int asked = server.config.maxSessionTimeoutMs();
        server.onConnect(link.id, new ConnectRequest(0, 0, asked, reattach, secret, false));
      }
      ConnectResponse response;
      try {
        response = await(link.ready, "the operator session to open");
      } catch (OperatorException e) {
        throw new OperatorException(
            "the operator session could not be opened (is there a leader? see cluster:status);"
                + " try again");
      }
      if (response.sessionId() != 0) {
        synchronized (lock) {
          sessionId = response.sessionId();
          password = response.password();
        }
        return link;
      }
      // The session we tried to reattach has ended (expired): start a new one once.
      link.dead = true;
      synchronized (lock) {
        sessionId = 0;
        password = new byte[16];
      }
      if (attempt > 0) {
        throw new OperatorException("the coordination service refused the operator session");
      }
    }
  }

  private <T> T await(CompletableFuture<T> future, String what) {
    return await(future, what, timeout);
  }

  private <T> T await(CompletableFuture<T> future, String what, Duration limit) {
    try {
      return future.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new OperatorException(
          "no answer within " + limit.toMillis() + " ms waiting for " + what
              + " (is there a leader? see cluster:status)");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof OperatorException o
          ? o
          : new OperatorException("waiting for " + what + " failed: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperatorException("interrupted while waiting for " + what);
    }
  }

  /** One in-process connection: the server's {@link ClientChannel} for it. */
  private final class Link implements ClientChannel {
    final CompletableFuture<ConnectResponse> ready = new CompletableFuture<>();
    private final Map<Integer, CompletableFuture<Reply>> waiting = new HashMap<>();
    volatile long id;
    volatile long lastSentNanos;
    volatile int timeoutMs;
    volatile boolean dead;
    private boolean handshakeDone;

    synchronized CompletableFuture<Reply> expect(int xid) {
      CompletableFuture<Reply> reply = new CompletableFuture<>();
      if (dead) {
        reply.completeExceptionally(closedError());
      } else {
        waiting.put(xid, reply);
      }
      return reply;
    }

    @Override
    public void send(byte[] payload) {
      try {
        JuteInput in = new JuteInput(payload);
        CompletableFuture<Reply> target;
        synchronized (this) {
          if (!handshakeDone) {
            handshakeDone = true;
            ConnectResponse response = ConnectResponse.read(in);
            timeoutMs = response.timeoutMs();
            ready.complete(response);
            return;
          }
          int xid = in.readInt();
          target = waiting.remove(xid); // notifications (-1) and pings (-2) have none
          if (target == null) {
            return;
          }
          target.complete(new Reply(in.readLong(), in.readInt(), in));
        }
      } catch (JuteDecodeException e) {
        fail(new OperatorException("the coordination service sent an unreadable reply: " + e));
      }
    }

    /** The server dropped this connection: like a transport, tell it the connection is gone. */
    @Override
    public void closeAfterFlush() {
      fail(closedError());
      server.onClosed(id);
    }

    private void fail(OperatorException error) {
      List<CompletableFuture<Reply>> pending;
      synchronized (this) {
        dead = true;
        pending = new ArrayList<>(waiting.values());
        waiting.clear();
      }
      ready.completeExceptionally(error);
      pending.forEach(p -> p.completeExceptionally(error));
    }

    private OperatorException closedError() {
      return new OperatorException(
          "the coordination service closed the operator's connection (a write failed, e.g. no"
              + " leader); the next command reconnects");
    }

    @Override
    public String remoteIp() {
      return "0.0.0.0";
    }

    @Override
    public String remoteAddress() {
      return "zk: shell";
    }
  }
}
