package io.cairn.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.env.storage.LogEntry;
import io.cairn.env.storage.LogWrite;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The bounded queue of the group commit: batching, bounds and backpressure. */
class CommitQueueTest {
  private static final long DEADLINE_MS = 10_000;

  private static PendingChange change(long sequence, int payloadBytes) {
    LogWrite write = LogWrite.append(List.of(new LogEntry(sequence, 1, new byte[payloadBytes])));
    return PendingChange.ofWrite(sequence, write, sequence);
  }

  @Test
  void theWriterTakesEverythingQueuedUpToTheBatchBounds() throws Exception {
    CommitQueue queue = new CommitQueue(100, 1 << 20);
    for (long i = 1; i <= 10; i++) {
      assertTrue(queue.put(change(i, 10)));
    }
    assertEquals(4, queue.takeBatch(4, 1 << 20).size());
    assertEquals(2, queue.takeBatch(100, 25).size(), "byte bound: 10 + 10, not 30");
    List<PendingChange> rest = queue.takeBatch(100, 1 << 20);
    assertEquals(4, rest.size());
    assertEquals(7, rest.get(0).sequence());
  }

  @Test
  void aLargeChangeIsTakenAloneEvenAboveTheByteBound() throws Exception {
    CommitQueue queue = new CommitQueue(100, 100);
    assertTrue(queue.put(change(1, 1000)));
    assertEquals(1, queue.takeBatch(100, 10).size());
  }

  @Test
  void aFullQueueMakesTheSubmitterWaitUntilTheWriterTakes() throws Exception {
    CommitQueue queue = new CommitQueue(2, 1 << 20);
    queue.put(change(1, 1));
    queue.put(change(2, 1));
    AtomicBoolean added = new AtomicBoolean();
    Thread submitter =
        new Thread(
            () -> {
              try {
                added.set(queue.put(change(3, 1)));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    submitter.start();
    awaitWaiting(submitter);
    assertFalse(added.get());
    assertEquals(2, queue.takeBatch(10, 1 << 20).size());
    submitter.join(DEADLINE_MS);
    assertTrue(added.get(), "submitter not released after the writer took the batch");
    assertEquals(3, queue.takeBatch(10, 1 << 20).get(0).sequence());
  }

  @Test
  void closingReleasesWaitersAndDrainsTheRest() throws Exception {
    CommitQueue queue = new CommitQueue(1, 1 << 20);
    queue.put(change(1, 1));
    assertEquals(1, queue.closeAndDrain().size());
    assertFalse(queue.put(change(2, 1)));
    assertTrue(queue.takeBatch(10, 10).isEmpty());
  }

  private static void awaitWaiting(Thread thread) throws InterruptedException {
    long deadline = System.currentTimeMillis() + DEADLINE_MS;
    while (thread.getState() != Thread.State.WAITING) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("submitter never blocked on the full queue: " + thread.getState());
      }
      Thread.onSpinWait();
    }
  }
}
