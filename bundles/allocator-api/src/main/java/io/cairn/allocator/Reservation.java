package io.cairn.allocator;

import java.util.Comparator;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A reservation of agent resources for a role. Reserved resources are offered only to frameworks
 * of that role or of a role below it ({@code eng} reservations reach {@code eng/web}), as Mesos
 * {@code Resources::isAllocatableTo}.
 */
@ProviderType
public record Reservation(String role, ReservationKind kind) implements Comparable<Reservation> {
  private static final Comparator<Reservation> ORDER =
      Comparator.comparing(Reservation::role).thenComparing(Reservation::kind);

  /** Validates the role. */
  public Reservation {
    Roles.check(role);
    Objects.requireNonNull(kind, "kind");
    Checks.argument(!role.equals(Roles.DEFAULT), "resources cannot be reserved for role '*'");
  }

  /** A static reservation for {@code role}. */
  public static Reservation staticFor(String role) {
    return new Reservation(role, ReservationKind.STATIC);
  }

  /** A dynamic reservation for {@code role}. */
  public static Reservation dynamicFor(String role) {
    return new Reservation(role, ReservationKind.DYNAMIC);
  }

  /** True if resources under this reservation may be offered to a framework of {@code role}. */
  public boolean isAllocatableTo(String frameworkRole) {
    return Roles.isSelfOrDescendant(frameworkRole, role);
  }

  @Override
  public int compareTo(Reservation other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return role + (kind == ReservationKind.DYNAMIC ? "/dynamic" : "/static");
  }
}
