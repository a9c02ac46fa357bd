package io.cairn.simulation;

import io.cairn.consensus.internal.core.Message;
import io.cairn.env.RandomSource;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The simulated network between nodes: per-message delay (reordering), loss and duplication, and
 * partitions made of blocked directed links, so a partition can be asymmetric (A hears B, B does
 * not hear A). A link blocked at delivery time loses the message too. Single-threaded.
 */
final class SimNetwork {
  private final EventQueue queue;
  private final RandomSource random;
  private final Set<Long> blocked = new HashSet<>();
  private NetworkFaults faults = NetworkFaults.NONE;
  private long sent;
  private long dropped;

  SimNetwork(EventQueue queue, RandomSource random) {
    this.queue = queue;
    this.random = random;
  }

  void setFaults(NetworkFaults faults) {
    this.faults = faults;
  }

  /** Blocks messages from {@code from} to {@code to} (one direction). */
  void block(int from, int to) {
    blocked.add(link(from, to));
  }

  void unblock(int from, int to) {
    blocked.remove(link(from, to));
  }

  /** Removes every partition. */
  void heal() {
    blocked.clear();
  }

  boolean isBlocked(int from, int to) {
    return blocked.contains(link(from, to));
  }

  long sent() {
    return sent;
  }

  long dropped() {
    return dropped;
  }

  /** Sends {@code message}; {@code deliver} runs at the receiver when (if) it arrives. */
  void send(Message message, Consumer<Message> deliver) {
    send(message.from(), message.to(), message, deliver);
  }

  /**
   * Sends any frame (a Raft message, or a snapshot chunk or its answer) under the same faults;
   * {@code deliver} runs at the receiver when (if) it arrives.
   */
  <T> void send(int from, int to, T frame, Consumer<T> deliver) {
    sent++;
    if (random.chance(faults.dropProbability())) {
      dropped++;
      return;
    }
    schedule(from, to, frame, deliver);
    if (random.chance(faults.duplicateProbability())) {
      schedule(from, to, frame, deliver);
    }
  }

  private <T> void schedule(int from, int to, T frame, Consumer<T> deliver) {
    long delay = random.nextLong(faults.minDelayMs(), faults.maxDelayMs() + 1);
    queue.at(
        queue.now() + delay,
        () -> {
          if (isBlocked(from, to)) {
            dropped++;
            return;
          }
          deliver.accept(frame);
        });
  }

  private static long link(int from, int to) {
    return ((long) from << 32) | (to & 0xffffffffL);
  }
}
