package io.cairn.simulation;

import io.cairn.consensus.internal.core.RaftCore;
import io.cairn.consensus.internal.core.ReadState;
import io.cairn.consensus.internal.core.Role;
import io.cairn.consensus.internal.core.SoftState;
import io.cairn.env.storage.LogEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Raft safety properties (Raft §5.2 Figure 3), checked as the simulation runs:
 *
 * <ul>
 *   <li>election safety: at most one leader per term;
 *   <li>leader completeness: a new leader's log holds every entry committed so far;
 *   <li>committed-entry agreement: an index committed anywhere always holds the same entry;
 *   <li>state-machine safety: every node applies the same entry at each index, in order;
 *   <li>log matching: two logs with the same (index, term) are identical up to there;
 *   <li>linearizable reads: a ReadIndex read point covers everything committed before it was
 *       asked for (thesis §6.4).
 * </ul>
 *
 * Any violation throws {@link SimulationFailure} at once. Single-threaded.
 */
final class SafetyChecker {
  private final Map<Long, Integer> leaderByTerm = new HashMap<>();
  private final List<LogEntry> committed = new ArrayList<>();
  private final List<LogEntry> applied = new ArrayList<>();
  private final List<Long> digests = new ArrayList<>();
  private final Map<Integer, Long> commitSeen = new HashMap<>();
  private final Map<Long, Long> readFloor = new HashMap<>();
  private long elections;
  private long readsConfirmed;

  long committedCount() {
    return committed.size();
  }

  long elections() {
    return elections;
  }

  long readsConfirmed() {
    return readsConfirmed;
  }

  void onRestart(int nodeId) {
    commitSeen.put(nodeId, 0L);
  }

  void onSoftState(SimNode node, SoftState soft) {
    if (soft.role() != Role.LEADER) {
      return;
    }
    elections++;
    Integer previous = leaderByTerm.putIfAbsent(soft.term(), node.id());
    if (previous != null && previous != node.id()) {
      throw new SimulationFailure(
          "election safety: nodes " + previous + " and " + node.id() + " both lead term "
              + soft.term());
    }
    RaftCore core = node.core();
    for (LogEntry entry : committed) {
      if (entry.index() < core.firstIndex()) {
        continue;
      }
      if (core.lastIndex() < entry.index() || !same(core.entryAt(entry.index()), entry)) {
        throw new SimulationFailure(
            "leader completeness: node " + node.id() + " leads term " + soft.term()
                + " without committed entry " + describe(entry));
      }
    }
  }

  /** Records every entry the node now claims committed, and compares with what others claimed. */
  void onCommitKnown(SimNode node) {
    RaftCore core = node.core();
    if (core == null) {
      return;
    }
    long seen = Math.max(commitSeen.getOrDefault(node.id(), 0L), core.firstIndex() - 1);
    for (long index = seen + 1; index <= core.commitIndex(); index++) {
      LogEntry entry = core.entryAt(index);
      if (index <= committed.size()) {
        LogEntry known = committed.get((int) index - 1);
        if (!same(known, entry)) {
          throw new SimulationFailure(
              "committed entries differ at index " + index + ": " + describe(known) + " vs "
                  + describe(entry) + " on node " + node.id());
        }
      } else {
        committed.add(entry);
      }
    }
    commitSeen.put(node.id(), Math.max(seen, core.commitIndex()));
  }

  void onApplied(SimNode node, LogEntry entry, long digest) {
    long index = entry.index();
    if (index <= applied.size()) {
      LogEntry known = applied.get((int) index - 1);
      if (!same(known, entry) || digests.get((int) index - 1) != digest) {
        throw new SimulationFailure(
            "state machine safety: node " + node.id() + " applied " + describe(entry)
                + " where another applied " + describe(known));
      }
    } else if (index == applied.size() + 1) {
      applied.add(entry);
      digests.add(digest);
    } else {
      throw new SimulationFailure("applied index " + index + " skips " + applied.size());
    }
  }

  /** A node replaced its state by a snapshot: it must equal what every node had at that index. */
  void onSnapshotRestored(SimNode node, long index, long digest) {
    if (index > digests.size() || digests.get((int) index - 1) != digest) {
      throw new SimulationFailure(
          "state machine safety: node " + node.id() + " restored a snapshot at index " + index
              + " whose state differs from the applied state there");
    }
  }

  /** A read is asked for: its read point must cover every commit known anywhere now. */
  void onReadRequested(long requestId) {
    readFloor.put(requestId, (long) committed.size());
  }

  void onReadConfirmed(SimNode node, ReadState read) {
    readsConfirmed++;
    Long floor = readFloor.remove(read.requestId());
    if (floor != null && read.index() < floor) {
      throw new SimulationFailure(
          "linearizable read: node " + node.id() + " confirmed read " + read.requestId()
              + " at index " + read.index() + " but index " + floor
              + " was committed before it was asked for");
    }
  }

  /** Log matching (Raft §5.3) over every pair of live nodes. */
  void checkLogMatching(Collection<SimNode> nodes) {
    List<RaftCore> cores = new ArrayList<>();
    for (SimNode node : nodes) {
      if (node.alive()) {
        cores.add(node.core());
      }
    }
    for (int a = 0; a < cores.size(); a++) {
      for (int b = a + 1; b < cores.size(); b++) {
        checkPair(cores.get(a), cores.get(b));
      }
    }
  }

  private static void checkPair(RaftCore a, RaftCore b) {
    long top = Math.min(a.lastIndex(), b.lastIndex());
    long low = Math.max(a.firstIndex(), b.firstIndex());
    long index = top;
    while (index >= low && a.termAt(index) != b.termAt(index)) {
      index--;
    }
    for (long i = index; i >= low; i--) {
      if (!same(a.entryAt(i), b.entryAt(i))) {
        throw new SimulationFailure(
            "log matching: nodes " + a.nodeId() + " and " + b.nodeId() + " agree at index "
                + index + " term " + a.termAt(index) + " but differ at index " + i);
      }
    }
  }

  private static boolean same(LogEntry x, LogEntry y) {
    return x.index() == y.index() && x.term() == y.term()
        && Arrays.equals(x.payload(), y.payload());
  }

  private static String describe(LogEntry entry) {
    return "(index=" + entry.index() + " term=" + entry.term() + " bytes="
        + entry.payload().length + ")";
  }
}
