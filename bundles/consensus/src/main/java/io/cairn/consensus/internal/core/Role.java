package io.cairn.consensus.internal.core;

/**
 * The role of a node (Raft §5.1, Figure 4; pre-candidate from thesis §9.6).
 *
 * <pre>
 *             timeout               pre-vote quorum         vote quorum
 *  FOLLOWER ----------> PRE_CANDIDATE ----------> CANDIDATE ----------> LEADER
 *     ^  ^                    |                       |                   |
 *     |  +---- rejected / higher term ----------------+                   |
 *     +------------------ higher term, or check-quorum failed ------------+
 * </pre>
 */
public enum Role {
  FOLLOWER,
  PRE_CANDIDATE,
  CANDIDATE,
  LEADER
}
