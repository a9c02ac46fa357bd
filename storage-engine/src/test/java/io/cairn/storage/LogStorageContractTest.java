package io.cairn.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.env.storage.CorruptionException;
import io.cairn.env.storage.HardState;
import io.cairn.env.storage.LogEntry;
import io.cairn.env.storage.LogStorage;
import io.cairn.env.storage.LogWrite;
import io.cairn.env.storage.StorageException;
import io.cairn.env.storage.StorageFullException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@link LogStorage} contract (see its javadoc), run against every implementation: Rocks on a
 * real disk and Sim in memory. A subclass supplies the medium and the ways to reach durability and
 * to inject faults; every assertion here must hold for both.
 */
public abstract class LogStorageContractTest {
  /** The log under test; subclasses may replace it through {@link #reopen()}. */
  protected LogStorage log;

  /** Opens the log on the subclass's medium, which persists across {@link #reopen()}. */
  protected abstract LogStorage open();

  /**
   * Drives {@code stage} to completion (Sim: syncs; Rocks: waits with a deadline) and returns its
   * value, or throws the {@link StorageException} it failed with.
   */
  protected abstract <T> T durable(LogStorage storage, CompletionStage<T> stage);

  /** Makes the next write to the device fail: disk full or a plain I/O error. */
  protected abstract void failNextWrite(LogStorage storage, boolean diskFull);

  /** Damages the stored bytes of the entry at {@code index}; the log is closed while called. */
  protected abstract void corruptStoredEntry(long index);

  @BeforeEach
  void openLog() {
    log = open();
  }

  @AfterEach
  void closeLog() {
    if (log != null) {
      log.close();
    }
  }

  /** Closes the log cleanly and opens it again on the same medium. */
  protected void reopen() {
    log.close();
    log = open();
  }

  protected static LogEntry entry(long index, long term) {
    return new LogEntry(index, term, payload(index));
  }

  protected static byte[] payload(long index) {
    return ("entry-" + index).getBytes(StandardCharsets.UTF_8);
  }

  protected static List<LogEntry> entries(long from, long to, long term) {
    List<LogEntry> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(entry(i, term));
    }
    return out;
  }

  protected long append(long from, long to, long term) {
    return durable(log, log.write(LogWrite.append(entries(from, to, term))));
  }

  private static void assertEntries(List<LogEntry> actual, long from, long to, long term) {
    assertEquals(to - from + 1, actual.size(), "number of entries read");
    for (int i = 0; i < actual.size(); i++) {
      LogEntry e = actual.get(i);
      assertEquals(from + i, e.index());
      assertEquals(term, e.term(), "term of entry " + e.index());
      assertArrayEquals(payload(e.index()), e.payload(), "payload of entry " + e.index());
    }
  }

  @Test
  void aNewLogIsEmptyAtIndexOne() {
    assertEquals(1, log.firstIndex());
    assertEquals(0, log.lastIndex());
    assertEquals(0, log.term(0));
    assertEquals(HardState.INITIAL, log.hardState());
    assertEquals(List.of(), log.read(1, 1, 1024));
  }

  @Test
  void appendedEntriesReadBackWithTheirTerms() {
    assertEquals(5, append(1, 5, 1));
    assertEquals(1, log.firstIndex());
    assertEquals(5, log.lastIndex());
    assertEquals(1, log.term(5));
    assertEntries(log.read(1, 6, Long.MAX_VALUE), 1, 5, 1);
    assertEntries(log.read(2, 4, Long.MAX_VALUE), 2, 3, 1);
  }

  @Test
  void completionsFireInSubmissionOrderWithTheNewLastIndex() {
    List<Long> completed = new ArrayList<>();
    List<CompletionStage<Long>> stages = new ArrayList<>();
    for (long i = 1; i <= 20; i++) {
      CompletionStage<Long> stage = log.write(LogWrite.append(List.of(entry(i, 1))));
      stage.thenAccept(
          last -> {
            synchronized (completed) {
              completed.add(last);
            }
          });
      stages.add(stage);
    }
    for (CompletionStage<Long> stage : stages) {
      durable(log, stage);
    }
    synchronized (completed) {
      assertEquals(20, completed.size());
      for (int i = 0; i < 20; i++) {
        assertEquals(i + 1, completed.get(i), "completion #" + i);
      }
    }
  }

  @Test
  void readsSeeSubmittedWritesBeforeTheyAreDurable() {
    CompletionStage<Long> stage = log.write(LogWrite.append(entries(1, 3, 2)));
    assertEquals(3, log.lastIndex());
    assertEquals(2, log.term(3));
    assertEntries(log.read(1, 4, Long.MAX_VALUE), 1, 3, 2);
    assertEquals(3, durable(log, stage));
  }

  @Test
  void truncateAndAppendReplaceTheConflictingSuffixAtomically() {
    append(1, 5, 1);
    LogWrite conflict = new LogWrite(null, 3, entries(3, 4, 2));
    assertEquals(4, durable(log, log.write(conflict)));
    assertEquals(4, log.lastIndex());
    assertEntries(log.read(1, 3, Long.MAX_VALUE), 1, 2, 1);
    assertEntries(log.read(3, 5, Long.MAX_VALUE), 3, 4, 2);
    reopen();
    assertEquals(4, log.lastIndex());
    assertEntries(log.read(3, 5, Long.MAX_VALUE), 3, 4, 2);
  }

  @Test
  void truncationAloneShortensTheLog() {
    append(1, 5, 1);
    assertEquals(2, durable(log, log.write(new LogWrite(null, 3, List.of()))));
    assertEquals(2, log.lastIndex());
    reopen();
    assertEquals(2, log.lastIndex());
    assertEquals(4, append(3, 4, 3));
  }

  @Test
  void hardStateIsSavedAloneOrWithEntriesAndSurvivesReopen() {
    HardState vote = new HardState(3, 2, 0);
    durable(log, log.write(LogWrite.hardState(vote)));
    assertEquals(vote, log.hardState());
    HardState committed = new HardState(3, 2, 2);
    durable(log, log.write(new LogWrite(committed, 0, entries(1, 2, 3))));
    assertEquals(committed, log.hardState());
    reopen();
    assertEquals(committed, log.hardState());
    assertEquals(2, log.lastIndex());
  }

  @Test
  void everythingSurvivesACleanReopen() {
    append(1, 100, 1);
    append(101, 120, 2);
    reopen();
    assertEquals(1, log.firstIndex());
    assertEquals(120, log.lastIndex());
    assertEntries(log.read(1, 101, Long.MAX_VALUE), 1, 100, 1);
    assertEntries(log.read(101, 121, Long.MAX_VALUE), 101, 120, 2);
  }

  @Test
  void compactionDropsThePrefixAndKeepsTheTermOfTheCompactionPoint() {
    append(1, 10, 1);
    append(11, 20, 2);
    durable(log, log.compactPrefix(12, 2));
    assertEquals(13, log.firstIndex());
    assertEquals(20, log.lastIndex());
    assertEquals(2, log.term(12));
    assertThrows(IndexOutOfBoundsException.class, () -> log.term(11));
    assertThrows(IndexOutOfBoundsException.class, () -> log.read(12, 14, Long.MAX_VALUE));
    reopen();
    assertEquals(13, log.firstIndex());
    assertEquals(2, log.term(12));
    assertEntries(log.read(13, 21, Long.MAX_VALUE), 13, 20, 2);
    assertEquals(21, append(21, 21, 2));
  }

  @Test
  void compactionPastTheLastIndexEmptiesTheLog() {
    append(1, 5, 1);
    durable(log, log.compactPrefix(50, 4));
    assertEquals(51, log.firstIndex());
    assertEquals(50, log.lastIndex());
    assertEquals(4, log.term(50));
    reopen();
    assertEquals(51, log.firstIndex());
    assertEquals(50, log.lastIndex());
    assertEquals(51, append(51, 51, 4));
  }

  @Test
  void readStopsAfterMaxBytesButReturnsAtLeastOneEntry() {
    append(1, 10, 1);
    int size = payload(1).length;
    assertEquals(1, log.read(1, 11, 0).size());
    assertEquals(3, log.read(1, 11, 3L * size).size());
    assertEquals(10, log.read(1, 11, Long.MAX_VALUE).size());
  }

  @Test
  void readsAndTermsOutsideTheLogAreRejected() {
    append(1, 3, 1);
    assertThrows(IndexOutOfBoundsException.class, () -> log.term(4));
    assertThrows(IndexOutOfBoundsException.class, () -> log.read(1, 5, 100));
    assertThrows(IndexOutOfBoundsException.class, () -> log.read(0, 2, 100));
  }

  @Test
  void malformedWritesAreRejectedAndLeaveTheLogUsable() {
    append(1, 3, 2);
    assertThrows(
        IllegalArgumentException.class, () -> log.write(LogWrite.append(entries(5, 6, 2))));
    assertThrows(
        IllegalArgumentException.class, () -> log.write(LogWrite.append(entries(3, 4, 2))));
    assertThrows(
        IllegalArgumentException.class, () -> log.write(LogWrite.append(entries(4, 4, 1))));
    assertThrows(IllegalArgumentException.class, () -> log.write(new LogWrite(null, 5, List.of())));
    durable(log, log.compactPrefix(2, 2));
    assertThrows(IllegalArgumentException.class, () -> log.write(new LogWrite(null, 2, List.of())));
    assertThrows(IllegalArgumentException.class, () -> log.compactPrefix(3, 7));
    assertEquals(4, append(4, 4, 2));
  }

  @Test
  void aCorruptEntryIsNeverServedAndTheErrorNamesItsIndex() {
    append(1, 10, 1);
    log.close();
    log = null;
    corruptStoredEntry(4);
    log = open();
    assertEntries(log.read(1, 4, Long.MAX_VALUE), 1, 3, 1);
    CorruptionException e =
        assertThrows(CorruptionException.class, () -> log.read(1, 11, Long.MAX_VALUE));
    assertEquals(4, e.index());
    assertEquals(4, assertThrows(CorruptionException.class, () -> log.term(4)).index());
  }

  @ParameterizedTest(name = "diskFull={0}")
  @ValueSource(booleans = {false, true})
  void aFailedWriteFailsTheLogForGoodAndLeavesNoTrace(boolean diskFull) {
    append(1, 3, 1);
    failNextWrite(log, diskFull);
    CompletionStage<Long> failed = log.write(LogWrite.append(entries(4, 5, 1)));
    StorageException error = assertThrows(StorageException.class, () -> durable(log, failed));
    if (diskFull) {
      assertInstanceOf(StorageFullException.class, error);
    }
    assertThrows(StorageException.class, () -> log.write(LogWrite.append(entries(4, 4, 1))));
    assertThrows(StorageException.class, () -> log.lastIndex());
    reopen();
    assertEquals(3, log.lastIndex());
    assertTrue(log.read(1, 4, Long.MAX_VALUE).size() == 3, "acknowledged entries kept");
  }
}
