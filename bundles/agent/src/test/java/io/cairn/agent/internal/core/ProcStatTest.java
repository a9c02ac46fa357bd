package io.cairn.agent.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ProcStatTest {
  @Test
  void parsesACommandNameWithSpacesAndParentheses() {
    String line =
        "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0"
            + " 8675309 1000000 200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
    ProcStat stat = ProcStat.parse(line);
    assertEquals(new ProcStat(4242, 'S', 4242, 8675309), stat);
  }

  @Test
  void aZombieIsNotLive() {
    String line = "7 (sh) Z 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 55 0 0";
    assertFalse(ProcStat.parse(line).isLive());
  }

  @Test
  void rejectsGarbage() {
    assertThrows(IllegalArgumentException.class, () -> ProcStat.parse("not a stat line"));
    assertThrows(IllegalArgumentException.class, () -> ProcStat.parse("1 (x) S 1 2"));
  }
}
