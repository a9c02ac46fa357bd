package io.cairn.master.internal.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.master.internal.proto.RegistryProtos.RegistryCommand;
import io.cairn.master.internal.proto.RegistryProtos.RegistryResult;
import io.cairn.master.internal.proto.RegistryProtos.RegistryResult.Code;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Properties of the registry over random command sequences drawn from a small id space (so that
 * duplicates, unknown ids and gone agents are common). Each run is seeded; a failure names its
 * seed, and {@code -Dregistry.seed=<seed>} replays exactly that run.
 */
class RegistryPropertyTest {
  private static final int RUNS = 150;
  private static final int COMMANDS = 300;
  private static final String[] ROLES = {"eng", "ops", "eng/web", "*", "-bad", ""};

  @Test
  void sameCommandsGiveByteIdenticalSnapshotsAndResults() {
    forEachSeed(seed -> {
      List<byte[]> commands = commands(new SplittableRandom(seed));
      RegistryCore a = new RegistryCore();
      RegistryCore b = new RegistryCore();
      for (int i = 0; i < commands.size(); i++) {
        assertArrayEquals(a.apply(i + 1, commands.get(i)).toByteArray(),
            b.apply(i + 1, commands.get(i)).toByteArray(), "result of entry " + (i + 1));
      }
      assertArrayEquals(a.snapshot(), b.snapshot());
      assertEquals(a.view(), b.view());
    });
  }

  @Test
  void aRestoredRegistryEqualsTheOriginalAndStaysEqual() {
    forEachSeed(seed -> {
      SplittableRandom random = new SplittableRandom(seed);
      List<byte[]> commands = commands(random);
      int cut = random.nextInt(commands.size() + 1);
      RegistryCore original = new RegistryCore();
      for (int i = 0; i < cut; i++) {
        original.apply(i + 1, commands.get(i));
      }
      byte[] snapshot = original.snapshot();
      RegistryCore restored = new RegistryCore();
      restore(restored, cut, snapshot);
      assertEquals(original.view(), restored.view());
      assertArrayEquals(snapshot, restored.snapshot());
      for (int i = cut; i < commands.size(); i++) {
        assertArrayEquals(original.apply(i + 1, commands.get(i)).toByteArray(),
            restored.apply(i + 1, commands.get(i)).toByteArray(), "result of entry " + (i + 1));
      }
      assertArrayEquals(original.snapshot(), restored.snapshot());
    });
  }

  @Test
  void aRejectedCommandChangesNothing() {
    forEachSeed(seed -> {
      List<byte[]> commands = commands(new SplittableRandom(seed));
      RegistryCore core = new RegistryCore();
      int rejected = 0;
      for (int i = 0; i < commands.size(); i++) {
        var before = RegistryScenarioTest.withoutIndex(core.view());
        RegistryResult result = core.apply(i + 1, commands.get(i));
        if (result.getCode() != Code.OK) {
          rejected++;
          assertEquals(before, RegistryScenarioTest.withoutIndex(core.view()),
              "entry " + (i + 1) + " was rejected (" + result.getMessage() + ") but changed");
        }
      }
      assertEquals(true, rejected > 0, "the generator should produce rejections");
    });
  }

  private static void restore(RegistryCore core, long index, byte[] snapshot) {
    try {
      core.restore(index, snapshot);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("a snapshot the registry wrote does not restore", e);
    }
  }

  private static void forEachSeed(SeededRun run) {
    Long fixed = Long.getLong("registry.seed");
    long base = fixed != null ? fixed : new SplittableRandom().nextLong();
    int runs = fixed != null ? 1 : RUNS;
    for (int i = 0; i < runs; i++) {
      long seed = base + i;
      try {
        run.run(seed);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(String.format(
            "REPRODUCE: mvn -f bundles/master/pom.xml test -Dtest=RegistryPropertyTest"
                + " -Dregistry.seed=%d (%s)", seed, e.getMessage()), e);
      }
    }
  }

  @FunctionalInterface
  private interface SeededRun {
    void run(long seed);
  }

  static List<byte[]> commands(SplittableRandom random) {
    List<byte[]> commands = new ArrayList<>();
    for (int i = 0; i < COMMANDS; i++) {
      if (random.nextInt(50) == 0) {
        byte[] garbage = new byte[random.nextInt(1, 8)];
        random.nextBytes(garbage);
        commands.add(garbage);
      } else {
        commands.add(command(random).toByteArray());
      }
    }
    return commands;
  }

  private static RegistryCommand command(SplittableRandom random) {
    String agent = "a" + random.nextInt(8);
    String framework = "f" + random.nextInt(4);
    long time = random.nextLong(1000);
    String role = ROLES[random.nextInt(ROLES.length)];
    return switch (random.nextInt(12)) {
      case 0, 1 -> Commands.admit(Commands.agent(agent, "h" + random.nextInt(3)));
      case 2 -> Commands.unreachable(agent, time);
      case 3 -> Commands.reachable(Commands.agent(agent, "h" + random.nextInt(3)));
      case 4 -> Commands.gone(agent, random.nextInt(10) == 0 ? -1 : time);
      case 5 -> Commands.prune(time, random.nextLong(500), random.nextInt(4));
      case 6 -> Commands.addFramework(Commands.framework(framework, random.nextInt(-1, 100),
          role));
      case 7 -> Commands.updateFramework(Commands.framework(framework, random.nextInt(100),
          role, "ops"));
      case 8 -> Commands.removeFramework(framework);
      case 9 -> Commands.weights(role, random.nextInt(-1, 4), "ops", 1.5);
      case 10 -> Commands.quota(role, Map.of("cpus", (double) random.nextInt(5)),
          random.nextBoolean() ? Map.of() : Map.of("cpus", (double) random.nextInt(5)));
      default -> Commands.maintenance(
          Commands.window(time, random.nextInt(-1, 100), "h" + random.nextInt(3)),
          Commands.window(time + 5, 10, "h" + random.nextInt(3)));
    };
  }
}
