package io.cairn.consensus.internal.command;

import io.cairn.consensus.GroupStatus;
import io.cairn.consensus.Leadership;
import io.cairn.consensus.Membership;
import io.cairn.env.Peer;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The decisions and sentences of {@code cluster:add} and {@code cluster:remove}, as pure functions
 * so tests check them without a shell. A refusal is one sentence: what was refused, why, and what
 * to do. The Netty transport only reaches the masters listed in {@code peers} of {@code
 * etc/io.cairn.node.cfg}, so a node can be added only if it is listed there.
 */
final class MembershipText {
  static final String CONFIG = "etc/io.cairn.node.cfg";

  private MembershipText() {}

  /** Why {@code node} cannot be added now, or null when it can. */
  static String addRefusal(GroupStatus status, List<Peer> peers, int node, boolean learner) {
    Membership members = status.membership();
    if (node <= 0) {
      return "node id must be positive, was " + node;
    }
    if (peers.stream().noneMatch(peer -> peer.id() == node)) {
      return "node " + node + " is not listed in peers of " + CONFIG + " (" + peersText(peers)
          + "); the transport reaches only listed nodes, so add it there on every master and "
          + "restart them first";
    }
    if (members.voters().contains(node)) {
      return "node " + node + " is already a voter; voters are "
          + StatusCommand.ids(members.voters());
    }
    if (learner && members.learners().contains(node)) {
      return "node " + node + " is already a learner; run cluster:add " + node
          + " without --learner to make it a voter";
    }
    if (!status.leadership().local()) {
      return notLeader(status, "cluster:add");
    }
    return null;
  }

  /** The membership after adding {@code node} as a voter or a learner. */
  static Membership added(Membership members, int node, boolean learner) {
    Set<Integer> voters = new TreeSet<>(members.voters());
    Set<Integer> learners = new TreeSet<>(members.learners());
    if (learner) {
      learners.add(node);
    } else {
      learners.remove(node);
      voters.add(node);
    }
    return new Membership(voters, learners);
  }

  /** Why {@code node} cannot be removed now, or null when it can. */
  static String removeRefusal(GroupStatus status, int node) {
    Membership members = status.membership();
    if (!members.voters().contains(node) && !members.learners().contains(node)) {
      return "node " + node + " is not a member; voters are " + StatusCommand.ids(members.voters())
          + ", learners " + StatusCommand.ids(members.learners());
    }
    if (members.voters().equals(Set.of(node))) {
      return "node " + node + " is the only voter and a group needs one; add another voter first";
    }
    if (!status.leadership().local()) {
      return notLeader(status, "cluster:remove");
    }
    return null;
  }

  /** The membership without {@code node}. */
  static Membership removed(Membership members, int node) {
    Set<Integer> voters = new TreeSet<>(members.voters());
    Set<Integer> learners = new TreeSet<>(members.learners());
    voters.remove(node);
    learners.remove(node);
    return new Membership(voters, learners);
  }

  /** The sentence once the change is committed. */
  static String done(Membership after) {
    return "membership changed; voters are " + StatusCommand.ids(after.voters()) + ", learners "
        + StatusCommand.ids(after.learners());
  }

  /** This node cannot change anything: name the leader to run {@code command} on, if known. */
  static String notLeader(GroupStatus status, String command) {
    Leadership leadership = status.leadership();
    return "node " + status.nodeId() + " is not the leader; "
        + (leadership.known() ? "run " + command + " on node " + leadership.leaderId()
            : "no leader is known in term " + leadership.term() + ", try again shortly");
  }

  private static String peersText(List<Peer> peers) {
    return peers.isEmpty() ? "none"
        : peers.stream().map(Peer::toString).collect(Collectors.joining(","));
  }
}
