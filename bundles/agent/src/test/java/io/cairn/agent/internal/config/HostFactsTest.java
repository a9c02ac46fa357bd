package io.cairn.agent.internal.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostFactsTest {
  @TempDir Path dir;

  @Test
  void detectsThisMachine() {
    HostFacts facts = HostFacts.detect(dir.resolve("not/yet/created"));
    assertTrue(facts.cores() >= 1, facts.toString());
    assertTrue(facts.memoryMb() > 0, facts.toString());
    assertTrue(facts.diskFreeMb() > 0, facts.toString());
    assertFalse(facts.hostname().isBlank());
  }
}
