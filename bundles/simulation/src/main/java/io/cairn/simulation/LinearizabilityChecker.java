package io.cairn.simulation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks that a history of register operations is linearizable, in the manner of Porcupine: the
 * Wing–Gong search with Lowe's memoisation of (linearized set, state), run per key because
 * linearizability is compositional (Herlihy and Wing, locality). The model is a register that
 * starts at 0: a put sets it, a get must return it. A put with an unknown outcome has an infinite
 * response, so it may take effect at any point after its call, or never be observed.
 */
public final class LinearizabilityChecker {
  private LinearizabilityChecker() {}

  /** Returns null when linearizable, else a description of the first key that is not. */
  public static String check(List<KvOperation> history) {
    Map<Integer, List<KvOperation>> byKey = new TreeMap<>();
    for (KvOperation op : history) {
      byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
    }
    for (Map.Entry<Integer, List<KvOperation>> key : byKey.entrySet()) {
      if (!linearizable(key.getValue())) {
        return "key " + key.getKey() + " has no linearization of its " + key.getValue().size()
            + " operations";
      }
    }
    return null;
  }

  /** A call or return event in a doubly linked list that the search lifts entries out of. */
  private static final class Node {
    final KvOperation op;
    final int index;
    final boolean call;
    Node match;
    Node prev;
    Node next;

    Node(KvOperation op, int index, boolean call) {
      this.op = op;
      this.index = index;
      this.call = call;
    }
  }

  private record Frame(Node call, long state) {}

  private record Memo(BitSet linearized, long state) {}

  private static boolean linearizable(List<KvOperation> ops) {
    Node head = buildEvents(ops);
    Set<Memo> seen = new HashSet<>();
    ArrayDeque<Frame> stack = new ArrayDeque<>();
    BitSet linearized = new BitSet(ops.size());
    long state = 0;
    Node entry = head.next;
    while (head.next != null) {
      if (entry == null) {
        return false;
      }
      if (entry.call) {
        KvOperation op = entry.op;
        boolean legal = op.write() || op.value() == state;
        long next = op.write() ? op.value() : state;
        BitSet after = (BitSet) linearized.clone();
        after.set(entry.index);
        if (legal && seen.add(new Memo(after, next))) {
          stack.push(new Frame(entry, state));
          state = next;
          linearized.set(entry.index);
          lift(entry);
          entry = head.next;
        } else {
          entry = entry.next;
        }
      } else {
        if (stack.isEmpty()) {
          return false;
        }
        Frame top = stack.pop();
        state = top.state();
        linearized.clear(top.call().index);
        unlift(top.call());
        entry = top.call().next;
      }
    }
    return true;
  }

  /** Calls and returns in time order (a return at {@link KvOperation#NEVER} never appears). */
  private static Node buildEvents(List<KvOperation> ops) {
    List<Node> events = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      KvOperation op = ops.get(i);
      Node call = new Node(op, i, true);
      Node ret = new Node(op, i, false);
      call.match = ret;
      ret.match = call;
      events.add(call);
      if (op.returned() != KvOperation.NEVER) {
        events.add(ret);
      }
    }
    events.sort(Comparator.comparingLong((Node n) -> n.call ? n.op.invoked() : n.op.returned()));
    Node head = new Node(null, -1, false);
    Node last = head;
    for (Node event : events) {
      last.next = event;
      event.prev = last;
      last = event;
    }
    return head;
  }

  private static void lift(Node call) {
    call.prev.next = call.next;
    if (call.next != null) {
      call.next.prev = call.prev;
    }
    Node ret = call.match;
    if (ret.prev != null) {
      ret.prev.next = ret.next;
      if (ret.next != null) {
        ret.next.prev = ret.prev;
      }
    }
  }

  private static void unlift(Node call) {
    Node ret = call.match;
    if (ret.prev != null) {
      ret.prev.next = ret;
      if (ret.next != null) {
        ret.next.prev = ret;
      }
    }
    call.prev.next = call;
    if (call.next != null) {
      call.next.prev = call;
    }
  }
}
