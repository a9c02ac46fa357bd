package io.cairn.master.internal.command;

import io.cairn.allocator.AgentSpec;
import io.cairn.allocator.Allocation;
import io.cairn.allocator.AllocatorBooks;
import io.cairn.allocator.FrameworkSpec;
import io.cairn.allocator.Quantities;
import io.cairn.allocator.Quota;
import io.cairn.allocator.Roles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The role tree of {@code allocator:roles}, computed from an allocator's books (so it reads the
 * same for every allocator): each role that a framework subscribes to, that holds resources, or
 * that has a weight or quota, with its ancestors. A role's allocation counts its descendants' (as
 * hierarchical DRF and quota limits do); its share is the dominant share of that allocation in
 * the cluster's total, and its weighted share that share divided by its weight (what DRF sorts
 * by, Ghodsi et al. §5). Pure.
 */
final class RoleTable {
  private RoleTable() {}

  /** One role of the tree. */
  record Row(String role, int depth, double weight, double share, Quantities allocated,
      Quantities offered, Quota quota, int frameworks) {
    double weightedShare() {
      return share / weight;
    }
  }

  /** The cluster's total scalar resources. */
  static Quantities total(AllocatorBooks books) {
    Quantities total = Quantities.ZERO;
    for (AgentSpec agent : books.agents()) {
      total = total.plus(agent.total().quantities());
    }
    return total;
  }

  /** The rows in tree order (parents before children, siblings by name; {@code *} first). */
  static List<Row> rows(AllocatorBooks books, List<Allocation> outstandingOffers) {
    TreeSet<String> roles = new TreeSet<>(RoleTable::treeOrder);
    for (FrameworkSpec framework : books.frameworks()) {
      framework.roles().forEach(role -> roles.addAll(Roles.selfAndAncestors(role)));
    }
    books.allocations().forEach(a -> roles.addAll(Roles.selfAndAncestors(a.role())));
    books.weights().keySet().forEach(role -> roles.addAll(Roles.selfAndAncestors(role)));
    books.quotas().keySet().forEach(role -> roles.addAll(Roles.selfAndAncestors(role)));
    Quantities total = total(books);
    List<Row> rows = new ArrayList<>();
    for (String role : roles) {
      Quantities allocated = sum(books.allocations(), role);
      int frameworks = (int) books.frameworks().stream()
          .filter(f -> f.roles().contains(role)).count();
      rows.add(new Row(role, depth(role), books.weights().getOrDefault(role, 1.0),
          allocated.dominantShare(total), allocated, sum(outstandingOffers, role),
          books.quotas().getOrDefault(role, Quota.NONE), frameworks));
    }
    return rows;
  }

  /** The table as text, one line per role, children indented under their parent. */
  static List<String> format(String allocatorName, AllocatorBooks books, List<Row> rows) {
    List<String> lines = new ArrayList<>();
    lines.add("allocator " + allocatorName + "; " + books.agents().size() + " agents ("
        + total(books) + "), " + books.frameworks().size() + " frameworks");
    if (rows.isEmpty()) {
      lines.add("No roles: no framework is subscribed and no weight or quota is set.");
      return lines;
    }
    lines.add(String.format(Locale.ROOT, "%-24s %7s %7s %9s  %-10s %s", "ROLE", "WEIGHT",
        "SHARE", "WEIGHTED", "FRAMEWORKS", "ALLOCATED (OFFERED) / GUARANTEE / LIMIT"));
    for (Row row : rows) {
      String name = "  ".repeat(row.depth()) + row.role();
      lines.add(String.format(Locale.ROOT, "%-24s %7s %7.3f %9.3f  %-10d allocated %s (offered"
              + " %s) / guarantee %s / limit %s",
          name, number(row.weight()), row.share(), row.weightedShare(), row.frameworks(),
          row.allocated(), row.offered(), guarantee(row.quota()), limit(row.quota())));
    }
    return lines;
  }

  static String guarantee(Quota quota) {
    return quota.guarantees().isZero() ? "none" : quota.guarantees().toString();
  }

  static String limit(Quota quota) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < Quantities.NAMES.length; i++) {
      long value = quota.limits().get(i);
      if (value != Quantities.UNLIMITED) {
        text.append(text.length() == 0 ? "" : ", ").append(Quantities.format(i, value));
      }
    }
    return text.length() == 0 ? "none" : text.toString();
  }

  static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
        : Double.toString(value);
  }

  private static Quantities sum(List<Allocation> allocations, String role) {
    Quantities sum = Quantities.ZERO;
    for (Allocation allocation : allocations) {
      if (inSubtree(allocation.role(), role)) {
        sum = sum.plus(allocation.resources().quantities());
      }
    }
    return sum;
  }

  private static boolean inSubtree(String role, String root) {
    return root.equals(Roles.DEFAULT) ? role.equals(root) : Roles.isSelfOrDescendant(role, root);
  }

  private static int depth(String role) {
    return role.equals(Roles.DEFAULT) ? 0 : (int) role.chars().filter(c -> c == '/').count();
  }

  /** {@code *} first, then by path segments, so that {@code eng/web} follows {@code eng}. */
  private static int treeOrder(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    if (a.equals(Roles.DEFAULT)) {
      return -1;
    }
    if (b.equals(Roles.DEFAULT)) {
      return 1;
    }
    return Arrays.compare(a.split("/"), b.split("/"));
  }
}
