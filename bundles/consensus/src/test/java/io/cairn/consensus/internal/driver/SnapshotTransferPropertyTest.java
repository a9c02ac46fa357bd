package io.cairn.consensus.internal.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.cairn.consensus.internal.core.Configuration;
import io.cairn.consensus.internal.core.DurableState;
import io.cairn.consensus.internal.core.Message.InstallSnapshot;
import io.cairn.consensus.internal.core.RaftConfig;
import io.cairn.consensus.internal.core.RaftCore;
import io.cairn.consensus.internal.core.Snapshot;
import io.cairn.consensus.internal.wire.SnapshotTransfer;
import io.cairn.env.RandomSource;
import io.cairn.env.storage.SnapshotMeta;
import io.cairn.env.storage.SnapshotStore;
import io.cairn.storage.sim.SimSnapshotDisk;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Chunked InstallSnapshot under network faults, for 1,000 seeds: the leader's {@link
 * SnapshotSender} and a follower's {@link SnapshotReceiver} over a link that delays (so reorders),
 * drops and duplicates every chunk and answer, each side on its own simulated storage. The leader's
 * core asks again every few ticks, as the real one does. The follower must publish exactly the
 * leader's bytes, never a partial snapshot, and its core must install it exactly once (late
 * duplicates of the first or last chunk must not start or publish it again). Single
 * thread, virtual time; a failure names its seed.
 */
class SnapshotTransferPropertyTest {
  private static final int SEEDS = 1_000;
  private static final long TICKS_MAX = 5_000;

  /** One delivery in flight: when it arrives and what it is. */
  private record Delivery(long at, long order, SnapshotTransfer transfer) {}

  @Test
  void theFollowerInstallsExactlyTheLeadersSnapshotOnceUnderFaults() {
    for (long seed = 1; seed <= SEEDS; seed++) {
      try {
        run(seed);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
      }
    }
  }

  private static void run(long seed) {
    RandomSource random = RandomSource.seeded(seed);
    double drop = random.nextLong(0, 30) / 100.0;
    double duplicate = random.nextLong(0, 10) / 100.0;
    long maxDelay = random.nextLong(0, 4);
    SnapshotSettings settings = new SnapshotSettings(10, 1 << 20, 0, 1024, 3, 40, false);
    SnapshotStore leaderStore = new SimSnapshotDisk().open();
    byte[] bytes = new byte[(int) random.nextLong(1, 20_000)];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
    SnapshotStore.SnapshotWriter writer = leaderStore.begin(50, 2);
    for (int from = 0; from < bytes.length; from += 3000) {
      writer.write(java.util.Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + 3000)));
    }
    SnapshotMeta meta = writer.publish();
    SnapshotStore followerStore = new SimSnapshotDisk().open();
    RaftCore follower =
        new RaftCore(RaftConfig.defaults(2, Set.of(1, 2, 3)), random.split(), DurableState.EMPTY);

    PriorityQueue<Delivery> network = new PriorityQueue<>(
        (a, b) -> a.at() != b.at()
            ? Long.compare(a.at(), b.at()) : Long.compare(a.order(), b.order()));
    long[] now = {0};
    long[] order = {0};
    java.util.function.Consumer<SnapshotTransfer> link = transfer -> {
      int copies = random.chance(drop) ? 0 : random.chance(duplicate) ? 2 : 1;
      for (int i = 0; i < copies; i++) {
        network.add(new Delivery(now[0] + random.nextLong(0, maxDelay + 1), order[0]++, transfer));
      }
    };
    SnapshotSender sender = new SnapshotSender(leaderStore, settings, link);
    SnapshotReceiver receiver = new SnapshotReceiver(followerStore, settings, link);
    InstallSnapshot request = new InstallSnapshot(1, 2, 3,
        new Snapshot(50, 2, Configuration.of(Set.of(1, 2, 3)), new byte[0]));

    List<InstallSnapshot> stepped = new ArrayList<>();
    for (now[0] = 0; now[0] < TICKS_MAX && (stepped.isEmpty() || !network.isEmpty()); now[0]++) {
      if (now[0] % 5 == 0) {
        sender.start(request, meta, now[0]);
      }
      sender.tick(now[0]);
      receiver.tick(now[0]);
      while (!network.isEmpty() && network.peek().at() <= now[0]) {
        SnapshotTransfer transfer = network.poll().transfer();
        if (transfer instanceof SnapshotTransfer.Chunk chunk) {
          InstallSnapshot complete = receiver.onChunk(chunk, follower, now[0]);
          if (complete != null) {
            // As the driver does: step the core at once; count the snapshots it installs.
            follower.step(complete);
            Snapshot installed = follower.ready().snapshot();
            if (installed != null) {
              stepped.add(new InstallSnapshot(1, 2, 3, installed));
            }
          }
          checkNeverPartial(followerStore, meta);
        } else if (transfer instanceof SnapshotTransfer.Ack ack) {
          sender.onAck(ack, now[0]);
        }
      }
    }
    assertEquals(1, stepped.size(), "the core installed the snapshot once, by tick " + now[0]
        + " ticks (drop " + drop + ", duplicate " + duplicate + ")");
    assertEquals(50, stepped.get(0).snapshot().index());
    SnapshotMeta published = followerStore.latest().orElse(null);
    assertNotNull(published, "the follower published the snapshot");
    assertEquals(meta, published);
    assertArrayEquals(bytes, followerStore.read(published, 0, bytes.length + 1));
  }

  /** A reader sees nothing, or the whole snapshot: never a partial one. */
  private static void checkNeverPartial(SnapshotStore store, SnapshotMeta meta) {
    store.latest().ifPresent(latest -> assertEquals(meta, latest, "a partial snapshot is visible"));
  }
}
