package io.cairn.allocator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Quantities, roles, reservations and agent resources. */
class ValuesTest {
  @Test
  void quantitiesAreExactAndFormatForHumans() {
    Quantities a = Quantities.of(0.1, 100, 0, 0);
    Quantities sum = Quantities.ZERO;
    for (int i = 0; i < 10; i++) {
      sum = sum.plus(a);
    }
    assertEquals(new Quantities(1_000, 1_000, 0, 0), sum);
    assertEquals("cpus 2.5, mem 512 MB", new Quantities(2_500, 512, 0, 0).toString());
    assertEquals("10", Quantities.formatCpus(10_000));
    assertEquals("0.005", Quantities.formatCpus(5));
    assertEquals(Quantities.UNLIMITED, Quantities.NO_LIMIT.plus(a).cpuMillis());
    Quantities ten = sum;
    assertThrows(IllegalArgumentException.class, () -> a.minus(ten));
    assertEquals(0.5, new Quantities(1_000, 100, 0, 0)
        .dominantShare(new Quantities(2_000, 1_000, 0, 0)));
  }

  @Test
  void rolesFormATree() {
    assertEquals(List.of("eng/web/a", "eng/web", "eng"), Roles.selfAndAncestors("eng/web/a"));
    assertTrue(Roles.isSelfOrDescendant("eng/web", "eng"));
    assertFalse(Roles.isSelfOrDescendant("engine", "eng"));
    assertTrue(Reservation.staticFor("eng").isAllocatableTo("eng/web"));
    assertFalse(Reservation.staticFor("eng/web").isAllocatableTo("eng"));
  }

  @ParameterizedTest(name = "role ''{0}'' is rejected")
  @ValueSource(strings = {"", "/eng", "eng/", "eng//web", "eng/./web", "..", "a b", "eng/*"})
  void invalidRolesAreRejected(String role) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Roles.check(role));
    assertTrue(role.isEmpty() || e.getMessage().contains(role), e.getMessage());
  }

  @Test
  void agentResourcesKeepReservationsApart() {
    AgentResources total = AgentResources.unreserved(Resources.of(4, 4096)).plus(
        AgentResources.reserved(Reservation.dynamicFor("eng"), Resources.of(2, 1024)));
    AgentResources part = AgentResources.reserved(Reservation.dynamicFor("eng"),
        Resources.of(1, 512));
    assertTrue(total.contains(part));
    assertFalse(total.contains(AgentResources.reserved(Reservation.staticFor("eng"),
        Resources.of(1, 512))), "a static reservation is not a dynamic one");
    assertEquals(new Quantities(6_000, 5120, 0, 0), total.quantities());
    AgentResources left = total.minus(part).minus(part);
    assertTrue(left.reserved().isEmpty(), "empty reservations are dropped: " + left);
    assertEquals(AgentResources.unreserved(Resources.of(4, 4096)), left);
    assertEquals(AgentResources.EMPTY, total.reservedAllocatableTo("ops"));
  }

  @Test
  void quotaLimitsMustHoldTheGuarantees() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Quota(new Quantities(2_000, 0, 0, 0), new Quantities(1_000, 0, 0, 0)));
    assertTrue(e.getMessage().contains("must be at least the guarantees"), e.getMessage());
  }
}
