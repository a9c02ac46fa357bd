package io.cairn.consensus.internal.core;

import io.cairn.env.Check;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToLongFunction;

/**
 * The members of the group as recorded in the log (Raft §6, thesis §4.3). In a joint
 * configuration both the incoming {@code voters} and the {@code outgoing} voters must agree:
 * elections and commitment need a majority of each. Learners receive the log but never count.
 * A configuration takes effect on a node as soon as its entry is in that node's log, committed or
 * not (thesis §4.1).
 *
 * @param voters the incoming (or only) voters, never empty
 * @param outgoing the previous voters while joint, empty otherwise
 * @param learners non-voting members, disjoint from both voter sets
 */
public record Configuration(Set<Integer> voters, Set<Integer> outgoing, Set<Integer> learners) {
  public Configuration {
    voters = Set.copyOf(new TreeSet<>(voters));
    outgoing = Set.copyOf(new TreeSet<>(outgoing));
    learners = Set.copyOf(new TreeSet<>(learners));
    Check.argument(!voters.isEmpty(), "a configuration needs voters");
    for (int learner : learners) {
      Check.argument(
          !voters.contains(learner) && !outgoing.contains(learner),
          "node %s is both learner and voter", learner);
    }
  }

  /** A simple (non-joint) configuration of voters only. */
  public static Configuration of(Set<Integer> voters) {
    return new Configuration(voters, Set.of(), Set.of());
  }

  public boolean joint() {
    return !outgoing.isEmpty();
  }

  /** True when {@code id} votes in either half. */
  public boolean isVoter(int id) {
    return voters.contains(id) || outgoing.contains(id);
  }

  /** Every member: voters of both halves and learners, in id order. */
  public Set<Integer> members() {
    Set<Integer> all = new TreeSet<>(voters);
    all.addAll(outgoing);
    all.addAll(learners);
    return all;
  }

  /** Every voter of both halves, in id order. */
  public Set<Integer> allVoters() {
    Set<Integer> all = new TreeSet<>(voters);
    all.addAll(outgoing);
    return all;
  }

  /** The highest index on a majority of each half (Raft §6: joint agreement). */
  long committedIndex(ToLongFunction<Integer> match) {
    long incoming = majority(voters, match);
    return joint() ? Math.min(incoming, majority(outgoing, match)) : incoming;
  }

  private static long majority(Set<Integer> set, ToLongFunction<Integer> match) {
    long[] matches = new long[set.size()];
    int i = 0;
    for (int id : set) {
      matches[i++] = match.applyAsLong(id);
    }
    return Quorum.majorityIndex(matches);
  }

  /** Elections in a joint configuration are won only with a majority of each half. */
  Quorum.VoteResult tally(Map<Integer, Boolean> votes) {
    Quorum.VoteResult incoming = Quorum.tally(voters, votes);
    if (!joint()) {
      return incoming;
    }
    Quorum.VoteResult previous = Quorum.tally(outgoing, votes);
    if (incoming == Quorum.VoteResult.LOST || previous == Quorum.VoteResult.LOST) {
      return Quorum.VoteResult.LOST;
    }
    if (incoming == Quorum.VoteResult.WON && previous == Quorum.VoteResult.WON) {
      return Quorum.VoteResult.WON;
    }
    return Quorum.VoteResult.PENDING;
  }

  /** True when {@code ids} hold a majority of each half. */
  boolean hasQuorum(Set<Integer> ids) {
    return covers(voters, ids) && (!joint() || covers(outgoing, ids));
  }

  private static boolean covers(Set<Integer> set, Set<Integer> ids) {
    int count = 0;
    for (int id : set) {
      if (ids.contains(id)) {
        count++;
      }
    }
    return count >= set.size() / 2 + 1;
  }

  /** A compact, deterministic encoding for configuration log entries. */
  byte[] encode() {
    int size = 3 + voters.size() + outgoing.size() + learners.size();
    byte[] out = new byte[size * Integer.BYTES];
    int[] position = {0};
    for (Set<Integer> set : java.util.List.of(voters, outgoing, learners)) {
      putInt(out, position, set.size());
      for (int id : new TreeSet<>(set)) {
        putInt(out, position, id);
      }
    }
    return out;
  }

  static Configuration decode(byte[] bytes) {
    int[] position = {0};
    Set<Integer> voters = readSet(bytes, position);
    Set<Integer> outgoing = readSet(bytes, position);
    Set<Integer> learners = readSet(bytes, position);
    Check.argument(position[0] == bytes.length, "trailing bytes in a configuration entry");
    return new Configuration(voters, outgoing, learners);
  }

  private static Set<Integer> readSet(byte[] bytes, int[] position) {
    int count = getInt(bytes, position);
    Check.argument(count >= 0 && count <= 1024, "bad member count %s", count);
    Set<Integer> set = new TreeSet<>();
    for (int i = 0; i < count; i++) {
      set.add(getInt(bytes, position));
    }
    return set;
  }

  private static void putInt(byte[] out, int[] position, int value) {
    for (int shift = 24; shift >= 0; shift -= 8) {
      out[position[0]++] = (byte) (value >>> shift);
    }
  }

  private static int getInt(byte[] in, int[] position) {
    Check.argument(position[0] + Integer.BYTES <= in.length, "truncated configuration entry");
    int value = 0;
    for (int i = 0; i < Integer.BYTES; i++) {
      value = (value << 8) | (in[position[0]++] & 0xff);
    }
    return value;
  }
}
