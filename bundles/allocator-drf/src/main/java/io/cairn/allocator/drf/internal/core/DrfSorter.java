package io.cairn.allocator.drf.internal.core;

import io.cairn.env.Check;
import io.cairn.allocator.Quantities;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeSet;

/**
 * Dominant Resource Fairness over a tree of clients (Ghodsi et al., NSDI 2011; hierarchical as in
 * Mesos {@code sorter/drf/sorter.cpp}). In hierarchical mode a client {@code eng/web} is a leaf
 * below the inner node {@code eng}. At every level siblings are ordered by (dominant share of their
 * subtree's allocation divided by their weight, then the number of allocations they received, then
 * their path), which is Mesos's {@code compareDRF}; {@link #order()} walks the tree depth first in
 * that order. A client that also has children ({@code eng} with {@code eng/web}) competes with its
 * children through a virtual leaf holding its own allocation, as Mesos's {@code "."} node does.
 *
 * <p>The order is kept incrementally, not recomputed: each inner node keeps its children in a
 * {@link TreeSet}, and {@link #allocated} re-inserts only the entries on the path from the client
 * to the root, in O(depth · log siblings). Shares are fractions of {@code total}, the scalar
 * resources of all agents. Not thread-safe.
 */
final class DrfSorter implements Sorter {
  /** Share, then allocation count, then path, then real before virtual (written out: hot). */
  private static final Comparator<Node> ORDER = (a, b) -> {
    int byShare = Double.compare(a.share, b.share);
    if (byShare != 0) {
      return byShare;
    }
    int byCount = Long.compare(a.count, b.count);
    if (byCount != 0) {
      return byCount;
    }
    int byPath = a.path.compareTo(b.path);
    return byPath != 0 ? byPath : Boolean.compare(a.virtual, b.virtual);
  };

  private final Quantities total;
  private final Map<String, Double> weights;
  private final boolean hierarchical;
  private final Node root = new Node("", null, false, 1.0);
  private final Map<String, Node> nodes = new HashMap<>();

  /**
   * @param total the resources shares are fractions of
   * @param weights weight per path; 1.0 for a path not in the map
   * @param hierarchical whether {@code /} in a client name makes a tree (roles) or not (frameworks)
   */
  DrfSorter(Quantities total, Map<String, Double> weights, boolean hierarchical) {
    this.total = total;
    this.weights = weights;
    this.hierarchical = hierarchical;
  }

  @Override
  public void add(String client, Quantities allocation, long allocationCount) {
    Node existing = nodes.get(client);
    Check.argument(existing == null || !existing.client, "client %s added twice", client);
    Node node = hierarchical ? createPath(client) : createChild(root, client);
    node.client = true;
    if (!node.children.isEmpty()) {
      addVirtualLeaf(node);
    }
    update(leafOf(node), allocation, allocationCount);
  }

  @Override
  public void allocated(String client, Quantities quantities) {
    Node node = nodes.get(client);
    Check.argument(node != null && node.client, "unknown client %s", client);
    update(leafOf(node), quantities, 1);
  }

  @Override
  public Iterable<String> order() {
    return () -> new Walk<>(root, hierarchical, node -> node.path);
  }

  /**
   * Attaches an object to a client, so that {@link #payloads()} can yield it instead of the
   * client's name (the allocation step attaches its per-step slots and saves a lookup per visit).
   */
  void attach(String client, Object payload) {
    Node node = nodes.get(client);
    Check.argument(node != null && node.client, "unknown client %s", client);
    node.payload = payload;
  }

  /**
   * The objects {@link #attach attached} to the clients, in {@link #order()}; null for a client
   * without one. Same validity rules as {@link #order()}.
   */
  @SuppressWarnings("unchecked")
  <T> Iterable<T> payloads() {
    return () -> new Walk<>(root, hierarchical,
        node -> (T) (node.virtual ? node.parent.payload : node.payload));
  }

  /**
   * Removes a client that sits directly below the root and has no children, if {@code client} is
   * one, and says whether it did. Its siblings' order does not depend on it, so the order of the
   * others is unchanged. Not during a walk.
   */
  boolean removeTopLevelLeaf(String client) {
    Node node = nodes.get(client);
    if (node == null || !node.client || node.parent != root || !node.children.isEmpty()) {
      return false;
    }
    boolean removed = root.children.remove(node);
    Check.invariant(removed, "sorter entry %s missing from the root", client);
    nodes.remove(client);
    return true;
  }

  @Override
  public double share(String client) {
    Node node = nodes.get(client);
    Check.argument(node != null, "unknown client %s", client);
    return node.share;
  }

  /**
   * Adds to an entry and all its ancestors (a virtual leaf's parent is its owner, so the owner's
   * subtree is updated next), re-inserting each into its parent's order.
   */
  private void update(Node entry, Quantities quantities, long count) {
    for (Node n = entry; n != root; n = n.parent) {
      Node parent = n.parent;
      boolean removed = parent.children.remove(n);
      Check.invariant(removed, "sorter entry %s missing from its parent", n.path);
      n.allocation = n.allocation.plus(quantities);
      n.count += count;
      n.share = n.allocation.dominantShare(total) / n.weight;
      parent.children.add(n);
    }
  }

  private static Node leafOf(Node node) {
    return node.virtualLeaf != null ? node.virtualLeaf : node;
  }

  /** Moves a client's own allocation into a virtual leaf once it has children. */
  private void addVirtualLeaf(Node node) {
    if (node.virtualLeaf != null || !node.client) {
      return;
    }
    Node leaf = new Node(node.path, node, true, node.weight);
    long ownCount = node.count - node.children.stream().mapToLong(c -> c.count).sum();
    Quantities own = node.allocation;
    for (Node child : node.children) {
      own = own.minus(child.allocation);
    }
    leaf.allocation = own;
    leaf.count = ownCount;
    leaf.share = own.dominantShare(total) / leaf.weight;
    node.virtualLeaf = leaf;
    node.children.add(leaf);
  }

  private Node createPath(String client) {
    Node parent = root;
    int from = 0;
    while (true) {
      int slash = client.indexOf('/', from);
      String path = slash < 0 ? client : client.substring(0, slash);
      parent = createChild(parent, path);
      if (slash < 0) {
        return parent;
      }
      from = slash + 1;
    }
  }

  private Node createChild(Node parent, String path) {
    Node existing = nodes.get(path);
    if (existing != null) {
      return existing;
    }
    double weight = hierarchical ? weights.getOrDefault(path, 1.0) : 1.0;
    Node node = new Node(path, parent, false, weight);
    parent.children.add(node);
    nodes.put(path, node);
    if (parent != root) {
      addVirtualLeaf(parent);
    }
    return node;
  }

  /**
   * A lazy depth-first walk yielding what {@code view} makes of each client entry. A flat sorter
   * (frameworks) has only leaves below the root, so its walk is one set iterator, no stack.
   */
  private static final class Walk<T> implements Iterator<T> {
    private final java.util.function.Function<Node, T> view;
    private final Iterator<Node> flat;
    private final Deque<Iterator<Node>> stack;
    private Node next;

    Walk(Node root, boolean hierarchical, java.util.function.Function<Node, T> view) {
      this.view = view;
      if (hierarchical) {
        flat = null;
        stack = new ArrayDeque<>();
        stack.push(root.children.iterator());
      } else {
        flat = root.children.iterator();
        stack = null;
      }
      advance();
    }

    private void advance() {
      next = null;
      if (flat != null) {
        if (flat.hasNext()) {
          next = flat.next();
        }
        return;
      }
      while (!stack.isEmpty()) {
        Iterator<Node> top = stack.peek();
        if (!top.hasNext()) {
          stack.pop();
          continue;
        }
        Node node = top.next();
        if (node.virtual || node.children.isEmpty()) {
          next = node;
          return;
        }
        stack.push(node.children.iterator());
      }
    }

    @Override
    public boolean hasNext() {
      return next != null;
    }

    @Override
    public T next() {
      if (next == null) {
        throw new NoSuchElementException();
      }
      Node result = next;
      advance();
      return view.apply(result);
    }
  }

  /**
   * An entry of the tree: a role path, or ({@code virtual}) the own allocation of a client that
   * has children. {@code allocation} and {@code count} cover the subtree; the sort key fields
   * change only while the entry is out of its parent's set.
   */
  private static final class Node {
    final String path;
    final Node parent;
    final boolean virtual;
    final double weight;
    final TreeSet<Node> children = new TreeSet<>(ORDER);
    boolean client;
    Node virtualLeaf;
    /** What {@link #attach} attached to this client; null if nothing. */
    Object payload;
    Quantities allocation = Quantities.ZERO;
    long count;
    double share;

    Node(String path, Node parent, boolean virtual, double weight) {
      this.path = path;
      this.parent = parent;
      this.virtual = virtual;
      this.weight = weight;
    }
  }
}
