package io.cairn.simulation;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The WGL checker on small histories whose verdict is known by hand. */
class LinearizabilityCheckerTest {
  private static KvOperation put(int id, long value, long from, long to) {
    return new KvOperation(id, 1, true, value, from, to);
  }

  private static KvOperation get(int id, long value, long from, long to) {
    return new KvOperation(id, 1, false, value, from, to);
  }

  @Test
  void sequentialHistoryIsLinearizable() {
    assertNull(LinearizabilityChecker.check(List.of(put(1, 5, 1, 2), get(2, 5, 3, 4))));
  }

  @Test
  void aStaleReadAfterAnAcknowledgedWriteIsNot() {
    assertNotNull(LinearizabilityChecker.check(List.of(put(1, 5, 1, 2), get(2, 0, 3, 4))));
  }

  @Test
  void concurrentOperationsMayTakeEitherOrder() {
    assertNull(LinearizabilityChecker.check(
        List.of(put(1, 5, 1, 10), get(2, 0, 2, 3), get(3, 5, 4, 5))));
  }

  @Test
  void readsCannotGoBackInTime() {
    assertNotNull(LinearizabilityChecker.check(
        List.of(put(1, 5, 1, 10), get(2, 5, 2, 3), get(3, 0, 4, 5))));
  }

  @Test
  void aWriteWithAnUnknownOutcomeMayHaveHappenedOrNot() {
    KvOperation unknown = put(1, 7, 1, KvOperation.NEVER);
    assertNull(LinearizabilityChecker.check(List.of(unknown, get(2, 0, 2, 3))));
    assertNull(LinearizabilityChecker.check(List.of(unknown, get(2, 7, 2, 3))));
    assertNotNull(LinearizabilityChecker.check(List.of(unknown, get(2, 7, 2, 3), get(3, 0, 4, 5))));
  }

  @Test
  void keysAreCheckedIndependently() {
    assertNull(LinearizabilityChecker.check(List.of(
        new KvOperation(1, 1, true, 5, 1, 2), new KvOperation(2, 2, false, 0, 3, 4))));
  }
}
