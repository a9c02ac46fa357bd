package io.cairn.allocator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Port sets against a BitSet oracle, plus the normal form. */
class PortRangesTest {
  @Test
  void normalFormMergesOverlappingAndAdjacentRanges() {
    PortRanges ports = PortRanges.of(new PortRange(10, 12), new PortRange(5, 9),
        new PortRange(20, 20), new PortRange(11, 15));
    assertEquals("[5-15, 20]", ports.toString());
    assertEquals(12, ports.count());
  }

  @Test
  void setOperationsMatchABitSet() {
    SplittableRandom seeds = new SplittableRandom(7);
    for (int trial = 0; trial < 2_000; trial++) {
      long seed = seeds.nextLong();
      SplittableRandom random = new SplittableRandom(seed);
      BitSet aBits = new BitSet();
      BitSet bBits = new BitSet();
      PortRanges a = randomRanges(random, aBits);
      PortRanges b = randomRanges(random, bBits);
      BitSet union = (BitSet) aBits.clone();
      union.or(bBits);
      BitSet difference = (BitSet) aBits.clone();
      difference.andNot(bBits);
      BitSet missing = (BitSet) bBits.clone();
      missing.andNot(aBits);
      String context = "seed=" + seed + " a=" + a + " b=" + b;
      assertEquals(union, bits(a.plus(b)), context);
      assertEquals(difference, bits(a.minus(b)), context);
      assertEquals(missing.isEmpty(), a.contains(b), context);
      assertEquals(aBits.intersects(bBits), a.intersects(b), context);
      assertEquals(aBits.cardinality(), a.count(), context);
    }
  }

  @Test
  void rejectsBadBounds() {
    assertThrows(IllegalArgumentException.class, () -> new PortRange(5, 4));
    assertThrows(IllegalArgumentException.class, () -> new PortRange(0, 65536));
    assertFalse(PortRanges.NONE.intersects(PortRanges.range(1, 2)));
    assertTrue(PortRanges.range(1, 100).contains(PortRanges.NONE));
  }

  private static PortRanges randomRanges(SplittableRandom random, BitSet bits) {
    PortRange[] ranges = new PortRange[random.nextInt(5)];
    for (int i = 0; i < ranges.length; i++) {
      int begin = random.nextInt(60);
      int end = begin + random.nextInt(10);
      ranges[i] = new PortRange(begin, end);
      bits.set(begin, end + 1);
    }
    return PortRanges.of(ranges);
  }

  private static BitSet bits(PortRanges ports) {
    BitSet bits = new BitSet();
    ports.ranges().forEach(range -> bits.set(range.begin(), range.end() + 1));
    return bits;
  }
}
