package io.cairn.storage.internal;

import io.cairn.env.Check;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded queue between submitters and the group-commit writer thread. Bounded by count and by
 * payload bytes: a submitter that would exceed either waits (backpressure) instead of growing
 * memory. The writer takes everything queued, up to the batch bounds, in one go. Thread-safe.
 */
final class CommitQueue {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private final ArrayDeque<PendingChange> queue = new ArrayDeque<>();
  private final int changesMax;
  private final long bytesMax;
  private long bytes;
  private boolean closed;

  CommitQueue(int changesMax, long bytesMax) {
    Check.argument(changesMax >= 1, "changesMax must be >= 1, was %s", changesMax);
    Check.argument(bytesMax >= 1, "bytesMax must be >= 1, was %s", bytesMax);
    this.changesMax = changesMax;
    this.bytesMax = bytesMax;
  }

  /**
   * Adds {@code change}, waiting while the queue is full. A change larger than the byte bound is
   * admitted alone into an empty queue, so nothing waits forever.
   *
   * @return false when the queue was closed (the change was not added)
   */
  boolean put(PendingChange change) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (!closed && isFullFor(change)) {
        notFull.await();
      }
      if (closed) {
        return false;
      }
      queue.add(change);
      bytes += change.payloadBytes();
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  private boolean isFullFor(PendingChange change) {
    return queue.size() >= changesMax
        || (!queue.isEmpty() && bytes + change.payloadBytes() > bytesMax);
  }

  /**
   * Waits for at least one change and takes the oldest ones, up to {@code batchChangesMax} and
   * about {@code batchBytesMax} (at least one). Returns an empty list once closed and drained.
   */
  List<PendingChange> takeBatch(int batchChangesMax, long batchBytesMax)
      throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (queue.isEmpty() && !closed) {
        notEmpty.await();
      }
      List<PendingChange> batch = new ArrayList<>();
      long batchBytes = 0;
      while (!queue.isEmpty() && batch.size() < batchChangesMax) {
        PendingChange next = queue.peek();
        if (!batch.isEmpty() && batchBytes + next.payloadBytes() > batchBytesMax) {
          break;
        }
        batch.add(queue.poll());
        batchBytes += next.payloadBytes();
      }
      bytes -= batchBytes;
      notFull.signalAll();
      return batch;
    } finally {
      lock.unlock();
    }
  }

  /** Stops admitting changes; the writer still drains what is queued. */
  void close() {
    lock.lock();
    try {
      closed = true;
      notEmpty.signalAll();
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Closes and removes everything still queued (after a failure), oldest first. */
  List<PendingChange> closeAndDrain() {
    lock.lock();
    try {
      closed = true;
      List<PendingChange> rest = new ArrayList<>(queue);
      queue.clear();
      bytes = 0;
      notEmpty.signalAll();
      notFull.signalAll();
      return rest;
    } finally {
      lock.unlock();
    }
  }
}
