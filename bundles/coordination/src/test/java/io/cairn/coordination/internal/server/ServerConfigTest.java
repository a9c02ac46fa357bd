package io.cairn.coordination.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The four-letter-word whitelist, parsed as ZooKeeper's {@code 4lw.commands.whitelist}. */
class ServerConfigTest {
  @Test
  void wordsAreSeparatedByCommasOrBlanksAndStarMeansAll() {
    assertEquals(Set.of("ruok", "srvr", "cons"), ServerConfig.parseWords(" ruok,srvr  cons ", false));
    assertEquals(ServerConfig.ALL_WORDS, ServerConfig.parseWords("ruok, *", false));
    assertEquals(Set.of(), ServerConfig.parseWords("", false));
    assertEquals(ServerConfig.ALL_WORDS, ServerConfig.parseWords("ruok", true));
    assertEquals(ServerConfig.SAFE_WORDS, ServerConfig.defaults().fourLetterWords());
  }

  @Test
  void anUnknownWordIsNamedInOneSentence() {
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.parseWords("ruok, dump", false));

    assertEquals(
        "io.cairn.coordination fourLetterWords has 'dump'; known words are conf, cons, envi, mntr,"
            + " ruok, srvr, stat, wchc, wchp, wchs",
        refused.getMessage());
  }
}
