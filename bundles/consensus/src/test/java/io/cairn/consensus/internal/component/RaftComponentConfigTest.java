package io.cairn.consensus.internal.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.consensus.internal.driver.SnapshotSettings;
import java.lang.annotation.Annotation;
import org.junit.jupiter.api.Test;

/** The snapshot keys of PID {@code io.cairn.consensus}: defaults, units, one-sentence errors. */
class RaftComponentConfigTest {
  /** A configuration as Config Admin would hand it to the component. */
  private record Settings(long entries, long mb, long trailing, int chunkKb)
      implements RaftComponent.Config {
    @Override
    public int tick_ms() {
      return 100;
    }

    @Override
    public long snapshot_entries() {
      return entries;
    }

    @Override
    public long snapshot_mb() {
      return mb;
    }

    @Override
    public long snapshot_trailing_entries() {
      return trailing;
    }

    @Override
    public int snapshot_chunk_kb() {
      return chunkKb;
    }

    @Override
    public Class<? extends Annotation> annotationType() {
      return RaftComponent.Config.class;
    }
  }

  @Test
  void theDefaultsAreAHundredThousandEntriesOrSixtyFourMibSpreadWithOneMibChunks() {
    SnapshotSettings settings =
        RaftComponent.snapshotSettings(new Settings(100_000, 64, 1_000, 1024));

    assertEquals(SnapshotSettings.defaults(), settings);
  }

  @Test
  void aBadValueIsOneSentenceWithPidKeyValueAndRange() {
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
        () -> RaftComponent.snapshotSettings(new Settings(0, 64, 1_000, 1024)));
    IllegalArgumentException chunk = assertThrows(IllegalArgumentException.class,
        () -> RaftComponent.snapshotSettings(new Settings(10, 64, 1_000, 9000)));

    assertEquals("io.cairn.consensus: snapshot.entries=0 must be >= 1", zero.getMessage());
    assertEquals("io.cairn.consensus: snapshot.chunk.kb=9000 must be in [1, 8192]",
        chunk.getMessage());
  }
}
