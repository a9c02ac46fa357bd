package io.cairn.agent.internal.core;

import com.google.protobuf.ByteString;
import io.cairn.env.Check;
import io.cairn.proto.agent.StatusUpdate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's status update manager, as Mesos's (src/status_update_manager): one FIFO stream per
 * task; only the head is forwarded; the head is resent with bounded exponential backoff (10 s
 * doubling to 10 min, Mesos's STATUS_UPDATE_RETRY_INTERVAL_MIN/MAX) until the framework's
 * acknowledgement of its uuid arrives; then the next update becomes the head and goes out at once.
 * Persisting the streams is the caller's job (the core checkpoints each changed stream before
 * anything is sent).
 *
 * <p>Deterministic: time comes in as monotonic nanos; single-threaded (the agent's event thread).
 */
public final class StatusUpdateManager {
  /** First retry interval. */
  public static final Duration RETRY_MIN = Duration.ofSeconds(10);

  /** Largest retry interval. */
  public static final Duration RETRY_MAX = Duration.ofMinutes(10);

  /** Bound on one task's stream; a task that keeps changing state without acks is a bug. */
  public static final int STREAM_MAX = 1000;

  private static final class Stream {
    final Deque<StatusUpdate> updates = new ArrayDeque<>();
    long nextRetryNanos = Long.MAX_VALUE; // meaningful once the head was sent
    long backoffNanos;
    boolean headSent;

    Stream(long backoffNanos) {
      this.backoffNanos = backoffNanos;
    }
  }

  private final Map<String, Stream> streams = new LinkedHashMap<>();
  private final long retryMinNanos;
  private final long retryMaxNanos;

  /** A manager with Mesos's retry intervals. */
  public StatusUpdateManager() {
    this(RETRY_MIN);
  }

  /** A manager whose first retry comes after {@code retryMin} (tests shorten it); max 10 min. */
  public StatusUpdateManager(Duration retryMin) {
    Check.argument(!retryMin.isNegative() && !retryMin.isZero(), "retry %s must be > 0", retryMin);
    this.retryMinNanos = retryMin.toNanos();
    this.retryMaxNanos = Math.max(retryMinNanos, RETRY_MAX.toNanos());
  }

  /** What an acknowledgement did. */
  public enum Ack {
    /** It matched the head, which is gone; the next one (if any) is due now. */
    MATCHED,
    /** No stream, or its uuid is not the head's (a duplicate or stale ack): ignored. */
    IGNORED
  }

  /** Adds {@code update} to its task's stream. True when it is the head (to be sent now). */
  public boolean enqueue(String taskId, StatusUpdate update) {
    Check.argument(!update.getUuid().isEmpty(), "update of task '%s' has no uuid", taskId);
    Stream stream = streams.computeIfAbsent(taskId, id -> new Stream(retryMinNanos));
    Check.state(
        stream.updates.size() < STREAM_MAX,
        "task '%s' has %s unacknowledged status updates",
        taskId,
        STREAM_MAX);
    stream.updates.addLast(update);
    return stream.updates.size() == 1;
  }

  /** Restores a checkpointed stream (after an agent restart); nothing is marked as sent. */
  public void restore(String taskId, List<StatusUpdate> updates) {
    if (updates.isEmpty()) {
      return;
    }
    Stream stream = streams.computeIfAbsent(taskId, id -> new Stream(retryMinNanos));
    stream.updates.clear();
    stream.updates.addAll(updates);
  }

  /** Records that the head of {@code taskId} was sent at {@code nowNanos}. */
  public void sent(String taskId, long nowNanos) {
    Stream stream = streams.get(taskId);
    if (stream == null || stream.updates.isEmpty()) {
      return;
    }
    stream.headSent = true;
    stream.nextRetryNanos = nowNanos + stream.backoffNanos;
    stream.backoffNanos = Math.min(stream.backoffNanos * 2, retryMaxNanos);
  }

  /** Removes the head when {@code uuid} is its uuid. */
  public Ack acknowledge(String taskId, ByteString uuid) {
    Stream stream = streams.get(taskId);
    if (stream == null || stream.updates.isEmpty()) {
      return Ack.IGNORED;
    }
    if (!stream.updates.peekFirst().getUuid().equals(uuid)) {
      return Ack.IGNORED;
    }
    stream.updates.removeFirst();
    stream.headSent = false;
    stream.backoffNanos = retryMinNanos;
    stream.nextRetryNanos = Long.MAX_VALUE;
    if (stream.updates.isEmpty()) {
      streams.remove(taskId);
    }
    return Ack.MATCHED;
  }

  /** The head of {@code taskId}'s stream. */
  public Optional<StatusUpdate> head(String taskId) {
    Stream stream = streams.get(taskId);
    return stream == null ? Optional.empty() : Optional.ofNullable(stream.updates.peekFirst());
  }

  /** The whole stream of {@code taskId}, head first. */
  public List<StatusUpdate> pending(String taskId) {
    Stream stream = streams.get(taskId);
    return stream == null ? List.of() : List.copyOf(stream.updates);
  }

  /** Tasks whose sent head is due for a retry at {@code nowNanos}. */
  public List<String> due(long nowNanos) {
    List<String> due = new ArrayList<>();
    for (Map.Entry<String, Stream> entry : streams.entrySet()) {
      Stream stream = entry.getValue();
      if (stream.headSent && nowNanos >= stream.nextRetryNanos) {
        due.add(entry.getKey());
      }
    }
    return due;
  }

  /** Every task with a head, for a flush after (re-)registration; backoff starts over. */
  public List<String> heads() {
    for (Stream stream : streams.values()) {
      stream.backoffNanos = retryMinNanos;
    }
    return List.copyOf(streams.keySet());
  }

  /** Drops the stream of {@code taskId} (its framework was shut down and the task is gone). */
  public void forget(String taskId) {
    streams.remove(taskId);
  }

  /** Number of unacknowledged updates over all tasks. */
  public int pendingCount() {
    return streams.values().stream().mapToInt(s -> s.updates.size()).sum();
  }
}
