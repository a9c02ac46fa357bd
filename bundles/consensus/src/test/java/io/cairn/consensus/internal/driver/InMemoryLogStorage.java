package io.cairn.consensus.internal.driver;

import io.cairn.env.storage.HardState;
import io.cairn.env.storage.LogEntry;
import io.cairn.env.storage.LogStorage;
import io.cairn.env.storage.LogWrite;
import io.cairn.env.storage.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A test fake of {@link LogStorage}, stricter than production: writes must append contiguously,
 * and once {@link #failNextWrite} is set the next write fails and every later call too.
 * Thread-safe by synchronisation; writes complete at once.
 */
final class InMemoryLogStorage implements LogStorage {
  private final List<LogEntry> entries = new ArrayList<>();
  private HardState hardState = HardState.INITIAL;
  private boolean failNext;
  private boolean failed;

  synchronized void failNextWrite() {
    failNext = true;
  }

  @Override
  public synchronized long firstIndex() {
    return 1;
  }

  @Override
  public synchronized long lastIndex() {
    return entries.size();
  }

  @Override
  public synchronized long term(long index) {
    return index == 0 ? 0 : entries.get((int) index - 1).term();
  }

  @Override
  public synchronized List<LogEntry> read(long fromIndex, long toIndexExclusive, long maxBytes) {
    return List.copyOf(entries.subList((int) fromIndex - 1, (int) toIndexExclusive - 1));
  }

  @Override
  public synchronized HardState hardState() {
    return hardState;
  }

  @Override
  public synchronized CompletionStage<Long> write(LogWrite write) {
    if (failed || failNext) {
      failed = true;
      return CompletableFuture.failedFuture(new StorageException("injected write failure"));
    }
    if (write.truncateFrom() != 0) {
      while (entries.size() >= write.truncateFrom()) {
        entries.remove(entries.size() - 1);
      }
    }
    for (LogEntry entry : write.entries()) {
      if (entry.index() != entries.size() + 1) {
        throw new AssertionError("non-contiguous append " + entry.index() + " after " + entries.size());
      }
      entries.add(entry);
    }
    if (write.hardState() != null) {
      hardState = write.hardState();
    }
    return CompletableFuture.completedFuture((long) entries.size());
  }

  @Override
  public synchronized CompletionStage<Void> compactPrefix(long throughIndex, long term) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("not in this fake"));
  }

  @Override
  public void close() {}
}
