package io.cairn.master.internal.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing of the io.cairn.master values that are not plain numbers. */
class MasterConfigsTest {
  @Test
  void removalRateLimitInMesosSyntax() {
    assertEquals(0, MasterConfigs.removalIntervalMs(""));
    assertEquals(600_000, MasterConfigs.removalIntervalMs("1/10mins"));
    assertEquals(500, MasterConfigs.removalIntervalMs("2/1secs"));
    assertEquals(3_600_000, MasterConfigs.removalIntervalMs("1/1hrs"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MasterConfigs.removalIntervalMs("10 per minute"));
    assertTrue(e.getMessage().contains("agentRemovalRateLimit=10 per minute"), e.getMessage());
  }

  @Test
  void peerHttpAddresses() {
    assertEquals(Map.of(1, "127.0.0.1:5050", 2, "127.0.0.1:5060"),
        MasterConfigs.peerHttp("1@127.0.0.1:5050, 2@127.0.0.1:5060"));
    assertTrue(MasterConfigs.peerHttp("").isEmpty());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MasterConfigs.peerHttp("x@host:1"));
    assertTrue(e.getMessage().contains("peerHttp entry 'x@host:1'"), e.getMessage());
  }
}
