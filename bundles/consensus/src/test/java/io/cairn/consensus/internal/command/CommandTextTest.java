package io.cairn.consensus.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.consensus.FollowerProgress;
import io.cairn.consensus.GroupStatus;
import io.cairn.consensus.Leadership;
import io.cairn.consensus.Membership;
import io.cairn.env.Peer;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The text of the {@code cluster:*} commands, checked without a shell. */
class CommandTextTest {
  private static final Membership THREE = Membership.ofVoters(Set.of(1, 2, 3));
  private static final List<Peer> PEERS = List.of(
      new Peer(1, "h1", 7070), new Peer(2, "h2", 7070), new Peer(3, "h3", 7070),
      new Peer(4, "h4", 7070));

  private static GroupStatus leader(Membership members) {
    return new GroupStatus(1, new Leadership(7, 1, true), 120, 118, members, 100, List.of(
        new FollowerProgress(2, 120, 0, "REPLICATE", true),
        new FollowerProgress(3, 40, 80, "SNAPSHOT", false)));
  }

  private static GroupStatus follower(int leaderId) {
    return new GroupStatus(2, new Leadership(7, leaderId, false), 120, 120, THREE);
  }

  @Test
  void statusOnTheLeaderShowsEveryFollowersMatchAndLag() {
    String text = StatusCommand.format(leader(THREE));

    assertEquals("""
        node      1
        role      leader
        term      7
        leader    1
        commit    120
        applied   118
        snapshot  100
        voters    1,2,3
        learners  (none)

        follower         match        lag state      active
        2                  120          0 REPLICATE  yes
        3                   40         80 SNAPSHOT   no""", text);
  }

  @Test
  void statusOnAFollowerHasNoFollowerTable() {
    String text = StatusCommand.format(follower(0));

    assertTrue(text.contains("role      follower"), text);
    assertTrue(text.contains("leader    (none known)"), text);
    assertTrue(text.contains("snapshot  (none)"), text);
    assertTrue(!text.contains("match"), text);
  }

  @Test
  void transferLeaderRefusesNonVotersAndFollowersInOneSentence() {
    assertEquals("node 9 is not a voter; voters are 1,2,3",
        TransferLeaderCommand.refusal(leader(THREE), 9));
    assertEquals("node 1 already leads (term 7)", TransferLeaderCommand.refusal(leader(THREE), 1));
    assertEquals("node 2 is not the leader; run cluster:transfer-leader on node 1",
        TransferLeaderCommand.refusal(follower(1), 3));
    assertNull(TransferLeaderCommand.refusal(leader(THREE), 2));
  }

  @Test
  void addRequiresTheNodeInPeers() {
    assertEquals("node 9 is not listed in peers of etc/io.cairn.node.cfg "
            + "(1@h1:7070,2@h2:7070,3@h3:7070,4@h4:7070); the transport reaches only listed "
            + "nodes, so add it there on every master and restart them first",
        MembershipText.addRefusal(leader(THREE), PEERS, 9, false));
  }

  @Test
  void addRefusesMembersAndFollowers() {
    assertEquals("node 2 is already a voter; voters are 1,2,3",
        MembershipText.addRefusal(leader(THREE), PEERS, 2, false));
    Membership withLearner = new Membership(Set.of(1, 2, 3), Set.of(4));
    assertEquals("node 4 is already a learner; run cluster:add 4 without --learner to make it a "
        + "voter", MembershipText.addRefusal(leader(withLearner), PEERS, 4, true));
    assertEquals("node 2 is not the leader; run cluster:add on node 1",
        MembershipText.addRefusal(follower(1), PEERS, 4, false));
    assertEquals("node 2 is not the leader; no leader is known in term 7, try again shortly",
        MembershipText.addRefusal(follower(0), PEERS, 4, false));
    assertNull(MembershipText.addRefusal(leader(THREE), PEERS, 4, true));
  }

  @Test
  void addMakesAVoterOrALearnerAndPromotesALearner() {
    assertEquals(new Membership(Set.of(1, 2, 3), Set.of(4)),
        MembershipText.added(THREE, 4, true));
    assertEquals(Membership.ofVoters(Set.of(1, 2, 3, 4)), MembershipText.added(THREE, 4, false));
    assertEquals(Membership.ofVoters(Set.of(1, 2, 3, 4)),
        MembershipText.added(new Membership(Set.of(1, 2, 3), Set.of(4)), 4, false));
  }

  @Test
  void removeRefusesNonMembersAndTheLastVoter() {
    assertEquals("node 9 is not a member; voters are 1,2,3, learners (none)",
        MembershipText.removeRefusal(leader(THREE), 9));
    assertEquals("node 1 is the only voter and a group needs one; add another voter first",
        MembershipText.removeRefusal(leader(Membership.ofVoters(Set.of(1))), 1));
    assertEquals("node 2 is not the leader; run cluster:remove on node 1",
        MembershipText.removeRefusal(follower(1), 3));
    assertNull(MembershipText.removeRefusal(leader(THREE), 3));
    assertEquals(Membership.ofVoters(Set.of(1, 2)), MembershipText.removed(THREE, 3));
    assertEquals("membership changed; voters are 1,2, learners (none)",
        MembershipText.done(Membership.ofVoters(Set.of(1, 2))));
  }
}
