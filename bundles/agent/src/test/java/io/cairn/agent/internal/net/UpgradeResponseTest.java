package io.cairn.agent.internal.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UpgradeResponseTest {
  static UpgradeResponse parse(String text) {
    return UpgradeResponse.parse(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void parsesSwitchingAndRedirect() {
    assertEquals(101, parse("HTTP/1.1 101 Switching Protocols\r\nUpgrade: cairn-agent/1\r\n\r\n").status());
    UpgradeResponse redirect =
        parse("HTTP/1.1 307 Temporary Redirect\r\nlocation: //10.0.0.2:5050/cairn/agent/v1\r\n\r\n");
    assertEquals(307, redirect.status());
    assertEquals(Optional.of("10.0.0.2:5050"),
        UpgradeResponse.redirectHostPort(redirect.location().orElseThrow()));
    assertEquals(Optional.of("h:1"), UpgradeResponse.redirectHostPort("http://h:1"));
    assertEquals(Optional.empty(), UpgradeResponse.redirectHostPort("/cairn/agent/v1"));
  }

  @Test
  void rejectsGarbage() {
    assertThrows(IllegalArgumentException.class, () -> parse("SSH-2.0-OpenSSH\r\n\r\n"));
    assertThrows(IllegalArgumentException.class, () -> parse("HTTP/1.1 abc\r\n\r\n"));
  }
}
