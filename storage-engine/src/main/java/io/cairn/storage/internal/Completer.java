package io.cairn.storage.internal;

import io.cairn.env.storage.StorageException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Completes the changes of durable batches, in order, so that the writer thread can start the next
 * synced write at once instead of waking every waiting submitter first (with 64 waiting appenders
 * the wake-ups cost as much as the fdatasync).
 *
 * <p>Order: batches are delivered in the writer's order. A small batch is completed inline on the
 * writer thread, but only when the completer has nothing outstanding: everything handed over
 * earlier is then already complete, so inline completion cannot overtake it. The hand-over queue is
 * bounded; the writer waits when the completer falls that far behind (backpressure).
 *
 * <p>Threading: {@link #deliver} is called by one thread at a time (the writer, or the thread that
 * fails the log); the completer runs on its own thread until {@link #stop}.
 */
final class Completer {
  private static final int INLINE_CHANGES_MAX = 4;
  private static final int BATCHES_MAX = 64;

  private record Delivery(List<PendingChange> changes, StorageException error, boolean last) {}

  private final BlockingQueue<Delivery> queue = new ArrayBlockingQueue<>(BATCHES_MAX);
  private final AtomicInteger outstanding = new AtomicInteger();
  private final Thread thread;

  Completer(String name) {
    thread = new Thread(this::run, name);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Completes {@code changes} with their new last index, or fails them with {@code error}. */
  void deliver(List<PendingChange> changes, StorageException error) {
    if (changes.isEmpty()) {
      return;
    }
    if (outstanding.get() == 0 && changes.size() <= INLINE_CHANGES_MAX) {
      complete(changes, error);
      return;
    }
    outstanding.incrementAndGet();
    try {
      queue.put(new Delivery(changes, error, false));
    } catch (InterruptedException e) {
      outstanding.decrementAndGet();
      Thread.currentThread().interrupt();
      complete(changes, error);
    }
  }

  private static void complete(List<PendingChange> changes, StorageException error) {
    for (PendingChange change : changes) {
      if (error == null) {
        change.done().complete(change.newLastIndex());
      } else {
        change.done().completeExceptionally(error);
      }
    }
  }

  private void run() {
    while (true) {
      Delivery delivery;
      try {
        delivery = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (delivery.last()) {
        return;
      }
      complete(delivery.changes(), delivery.error());
      outstanding.decrementAndGet();
    }
  }

  /** Lets everything delivered so far complete, then ends the thread and waits for it. */
  void stop() {
    boolean interrupted = false;
    while (true) {
      try {
        queue.put(new Delivery(List.of(), null, true));
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
