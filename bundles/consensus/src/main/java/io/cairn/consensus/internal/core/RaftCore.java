package io.cairn.consensus.internal.core;

import io.cairn.env.Check;
import io.cairn.consensus.internal.core.Message.AppendRequest;
import io.cairn.consensus.internal.core.Message.AppendResponse;
import io.cairn.consensus.internal.core.Message.InstallSnapshot;
import io.cairn.consensus.internal.core.Message.TimeoutNow;
import io.cairn.consensus.internal.core.Message.VoteRequest;
import io.cairn.consensus.internal.core.Message.VoteResponse;
import io.cairn.env.RandomSource;
import io.cairn.env.storage.HardState;
import io.cairn.env.storage.LogEntry;
import io.cairn.env.storage.LogWrite;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The single-threaded Raft state machine of one node (Raft paper, Figure 2), with the extensions
 * of Ongaro's thesis: pre-vote (§9.6), check-quorum and vote leases (§6.2, §4.2.3), ReadIndex
 * (§6.4) and leadership transfer (§3.10); replication flow control follows etcd-raft's design
 * (probe/replicate, pipelined appends, fast back-off).
 *
 * <p>Inputs: {@link #tick()}, {@link #step(Message)}, {@link #propose(byte[])}, {@link
 * #requestRead(long)}, {@link #transferLeadership(int)} and the completion {@link
 * #onPersisted(long, long)}. Output: {@link #ready()}. It does no I/O, reads no clock and owns no
 * thread: time arrives as ticks and randomness from a seeded {@link RandomSource}, so one seed
 * replays a run exactly.
 *
 * <p>Threading: not thread-safe; called only on the group's event loop (or the simulator's).
 *
 * <p>Safety invariants checked here: one vote per term, commit only of current-term entries
 * (§5.4.2), never truncating committed entries, the leader counting its own log only once durable.
 */
public final class RaftCore {
  private final RaftConfig config;
  private final RandomSource random;
  private final RaftLog log;
  private final Map<Integer, Progress> progress = new TreeMap<>();
  private final Map<Integer, Boolean> votes = new HashMap<>();
  private final ReadIndexQueue reads = new ReadIndexQueue();

  private long term;
  private int votedFor;
  private int leaderId;
  private Role role = Role.FOLLOWER;
  private int electionElapsed;
  private int heartbeatElapsed;
  private int randomizedElectionTimeout;
  private int transferee;
  private int transferElapsed;
  private Snapshot snapshot;
  private Snapshot pendingInstall;
  private Configuration configuration;
  private long configIndex;

  /** Leader leases (thesis §6.4.1); null (off) unless enableLeaseReads was called. */
  private LeaseTracker lease;
  private boolean leaseReads;
  /**
   * Ticks since this core started: counted by {@link #tick()}, or set from real time by a driver
   * that called {@link #useDriverClock()} (ticks run late when the loop stalls; time does not).
   */
  private long now;
  private boolean driverClock;
  /** A transfer's TimeoutNow may arrive any time later: no lease for the rest of the term. */
  private boolean transferredThisTerm;

  /**
   * Appends owed to followers, sent once per {@link #ready()} rather than once per proposal or
   * acknowledgement: every proposal and commit advance taken between two drains then travels in
   * one append per follower (etcd-raft batches the same way). {@code broadcastCommit} also sends
   * an empty append to a follower that has not yet been told the commit index.
   */
  private boolean broadcastPending;
  private boolean broadcastCommit;
  private final List<Message> sendNow = new ArrayList<>();
  private final List<Message> sendAfterPersist = new ArrayList<>();
  private final List<ReadState> readStates = new ArrayList<>();
  private final List<Long> failedReads = new ArrayList<>();
  private HardState emittedHardState;
  private SoftState emittedSoftState;

  /**
   * Starts (or restarts) a node from its durable state.
   *
   * @param config static parameters
   * @param random this node's own seeded source
   * @param durable the state recovered from storage; {@link DurableState#EMPTY} for a new node
   */
  public RaftCore(RaftConfig config, RandomSource random, DurableState durable) {
    this.config = config;
    this.random = random;
    HardState hard = durable.hardState();
    this.log =
        new RaftLog(
            durable.compactedIndex(), durable.compactedTerm(), durable.entries(),
            hard.commitIndex());
    this.snapshot = durable.snapshot();
    this.term = hard.term();
    this.votedFor = hard.votedFor();
    this.emittedHardState = hard;
    recomputeConfiguration();
    this.emittedSoftState = softState();
    resetElectionTimer();
  }

  // ---------------------------------------------------------------- inputs

  /** Advances logical time by one tick: election timeout, heartbeat, check-quorum. */
  public void tick() {
    if (!driverClock) {
      now++;
    }
    if (role == Role.LEADER) {
      tickLeader();
    } else {
      electionElapsed++;
      if (electionElapsed >= randomizedElectionTimeout && promotable()) {
        campaign(config.preVote(), false);
      }
    }
  }

  private void tickLeader() {
    heartbeatElapsed++;
    electionElapsed++;
    if (transferee != 0 && ++transferElapsed >= config.electionTimeoutTicks()) {
      transferee = 0;
    }
    if (electionElapsed >= config.electionTimeoutTicks()) {
      electionElapsed = 0;
      if (config.checkQuorum() && !quorumActive()) {
        becomeFollower(term, 0);
        return;
      }
    }
    if (heartbeatElapsed >= config.heartbeatTicks()) {
      heartbeatElapsed = 0;
      broadcastHeartbeat(reads.lastContext());
    }
    int retransmitTicks = Math.max(2, config.electionTimeoutTicks() / 2);
    for (Map.Entry<Integer, Progress> peer : progress.entrySet()) {
      if (peer.getValue().tickStalled(retransmitTicks)) {
        sendAppend(peer.getKey(), true);
      }
    }
  }

  /** Check-quorum (thesis §6.2): did a majority answer within the last election timeout? */
  private boolean quorumActive() {
    Set<Integer> active = new TreeSet<>();
    active.add(config.nodeId());
    for (Map.Entry<Integer, Progress> peer : progress.entrySet()) {
      if (peer.getValue().recentActive()) {
        active.add(peer.getKey());
      }
      peer.getValue().setRecentActive(false);
    }
    return configuration.hasQuorum(active);
  }

  /** Handles one message from a peer (Raft §5.1: every RPC first reconciles terms). */
  public void step(Message message) {
    Check.argument(
        message.to() == config.nodeId(), "message for node %s stepped on node %s", message.to(),
        config.nodeId());
    if (message.term() > term) {
      if (!acceptHigherTerm(message)) {
        return;
      }
    } else if (message.term() < term) {
      answerStaleTerm(message);
      return;
    }
    dispatch(message);
  }

  /**
   * A message from a higher term. Votes inside a leader lease are ignored (thesis §4.2.3) unless
   * they come from a leadership transfer; pre-vote traffic never changes our term (§9.6).
   *
   * @return whether to go on handling the message
   */
  private boolean acceptHigherTerm(Message message) {
    if (message instanceof VoteRequest request) {
      // With leases on, a node also ignores votes for an election timeout after it starts: it may
      // have answered a leader's heartbeat just before it crashed, and that leader counts on it.
      boolean inLease =
          config.checkQuorum()
              && ((leaderId != 0 && electionElapsed < config.electionTimeoutTicks())
                  || (leaseReads && now < config.electionTimeoutTicks()));
      if (inLease && !request.transfer()) {
        return false;
      }
      if (request.preVote()) {
        return true;
      }
    }
    if (message instanceof VoteResponse response && response.preVote() && response.granted()) {
      return true;
    }
    boolean fromLeader =
        message instanceof AppendRequest || message instanceof InstallSnapshot
            || message instanceof TimeoutNow;
    becomeFollower(message.term(), fromLeader ? message.from() : 0);
    return true;
  }

  /** Raft §5.1: a stale request is rejected with our term so its sender learns it is behind. */
  private void answerStaleTerm(Message message) {
    if (message instanceof AppendRequest request) {
      sendAfterPersist.add(
          new AppendResponse(
              config.nodeId(), request.from(), term, false, 0, request.prevLogIndex(),
              log.lastIndex(), request.readContext()));
    } else if (message instanceof InstallSnapshot request) {
      sendAfterPersist.add(
          new AppendResponse(
              config.nodeId(), request.from(), term, false, 0, request.snapshot().index(),
              log.lastIndex(), 0));
    } else if (message instanceof VoteRequest request) {
      sendAfterPersist.add(
          new VoteResponse(config.nodeId(), request.from(), term, false, request.preVote()));
    }
  }

  private void dispatch(Message message) {
    if (message instanceof VoteRequest request) {
      handleVoteRequest(request);
    } else if (message instanceof VoteResponse response) {
      handleVoteResponse(response);
    } else if (message instanceof AppendRequest request) {
      handleAppend(request);
    } else if (message instanceof AppendResponse response) {
      handleAppendResponse(response);
    } else if (message instanceof InstallSnapshot install) {
      handleSnapshot(install);
    } else if (message instanceof TimeoutNow) {
      if (role == Role.FOLLOWER && promotable()) {
        campaign(false, true);
      }
    }
  }

  /**
   * Proposes one entry. Accepted only on a leader that is not handing over leadership (thesis
   * §3.10: new requests are refused while a transfer is in progress).
   */
  public ProposeResult propose(byte[] payload) {
    ProposeResult refused = refuseProposal();
    if (refused != null) {
      return refused;
    }
    return appendAsLeader(EntryKind.COMMAND, payload);
  }

  /** Why a proposal cannot be taken now, or null when it can. */
  private ProposeResult refuseProposal() {
    if (role != Role.LEADER) {
      return ProposeResult.rejected(ProposeResult.Rejection.NOT_LEADER, leaderId);
    }
    if (transferee != 0) {
      return ProposeResult.rejected(ProposeResult.Rejection.TRANSFERRING, transferee);
    }
    if (log.lastIndex() - log.committed() >= config.maxUncommittedEntries()) {
      return ProposeResult.rejected(ProposeResult.Rejection.OVERLOADED, config.nodeId());
    }
    return null;
  }

  /**
   * Proposes a membership change by joint consensus (Raft §6, thesis §4.3): first the joint
   * configuration (new voters with the current ones as outgoing), then, once that commits, the
   * new configuration alone, which the leader appends by itself. Refused while a change is still
   * in progress, so at most one is ever uncommitted. A voter cannot become a learner in one step
   * (remove it first): the joint configuration would have to hold it as both.
   */
  public ProposeResult proposeConfiguration(Set<Integer> voters, Set<Integer> learners) {
    ProposeResult refused = refuseProposal();
    if (refused != null) {
      return refused;
    }
    if (configuration.joint() || configIndex > log.committed()) {
      return ProposeResult.rejected(ProposeResult.Rejection.CHANGE_IN_PROGRESS, config.nodeId());
    }
    boolean demotes = learners.stream().anyMatch(configuration::isVoter);
    boolean overlaps = learners.stream().anyMatch(voters::contains);
    if (voters.isEmpty() || demotes || overlaps) {
      return ProposeResult.rejected(ProposeResult.Rejection.INVALID_CHANGE, config.nodeId());
    }
    Configuration joint = new Configuration(voters, configuration.voters(), learners);
    return appendAsLeader(EntryKind.CONFIGURATION, joint.encode());
  }

  private ProposeResult appendAsLeader(EntryKind kind, byte[] data) {
    LogEntry entry = new LogEntry(log.lastIndex() + 1, term, kind.frame(data));
    log.appendLocal(entry);
    if (kind == EntryKind.CONFIGURATION) {
      applyConfiguration(EntryKind.configuration(entry), entry.index());
    }
    broadcastPending = true;
    maybeCommit();
    return new ProposeResult(true, entry.index(), entry.term(), config.nodeId(), null);
  }

  /**
   * Asks for a linearizable read point (thesis §6.4). The outcome arrives in a later {@link
   * Ready}: a {@link ReadState} when confirmed, or the id in {@link Ready#failedReads()}.
   */
  public void requestRead(long requestId) {
    if (role != Role.LEADER) {
      failedReads.add(requestId);
      return;
    }
    if (log.term(log.committed()) != term) {
      reads.waitForTermCommit(requestId);
      return;
    }
    if (leaseValid()) {
      readStates.add(new ReadState(requestId, log.committed()));
      return;
    }
    startRead(requestId);
  }

  /**
   * Turns on leader-lease reads (thesis §6.4.1): a leader whose quorum answered a heartbeat sent
   * less than {@code electionTimeoutTicks - marginTicks} ticks ago answers reads at its commit
   * index without a round of its own. Needs check-quorum (followers' vote leases) and a driver
   * whose ticks follow real time, including after pauses; the margin covers tick granularity
   * and clock drift.
   */
  public void enableLeaseReads(int marginTicks) {
    Check.argument(config.checkQuorum(), "lease reads need check-quorum (node %s)", config.nodeId());
    Check.argument(marginTicks >= 1 && marginTicks < config.electionTimeoutTicks(),
        "lease margin must be in [1, %s) ticks, was %s", config.electionTimeoutTicks(),
        marginTicks);
    leaseReads = true;
    lease = new LeaseTracker(config.nodeId(), config.electionTimeoutTicks(), marginTicks);
  }

  /**
   * From now on the driver sets the time ({@link #clock}) from a real clock, in ticks since this
   * core started, and {@link #tick()} only runs timers. Leases then follow real time even when
   * ticks run late because the loop stalled.
   */
  public void useDriverClock() {
    driverClock = true;
  }

  /** The real time in ticks since this core started; never goes back. */
  public void clock(long ticksSinceStart) {
    Check.state(driverClock, "node %s counts its own ticks", config.nodeId());
    if (ticksSinceStart > now) {
      now = ticksSinceStart;
    }
  }

  /** Whether this leader may answer a read from its lease now. */
  public boolean leaseValid() {
    return leaseReads && role == Role.LEADER && !transferredThisTerm && transferee == 0
        && lease.holds(now)
        && log.term(log.committed()) == term;
  }

  private void resetLease() {
    if (lease != null) {
      lease.reset();
    }
  }

  private void startRead(long requestId) {
    long context = reads.start(requestId, log.committed(), config.nodeId());
    if (configuration.hasQuorum(Set.of(config.nodeId()))) {
      readStates.addAll(reads.acknowledge(config.nodeId(), context, configuration::hasQuorum));
      return;
    }
    broadcastHeartbeat(context);
  }

  /**
   * Starts handing leadership to {@code target} (thesis §3.10): stop accepting proposals, bring
   * the target up to date, then tell it to time out now. Abandoned after an election timeout.
   */
  public void transferLeadership(int target) {
    if (role != Role.LEADER || target == config.nodeId() || !progress.containsKey(target)
        || !configuration.isVoter(target)) {
      return;
    }
    transferee = target;
    transferElapsed = 0;
    transferredThisTerm = true;
    resetLease();
    if (progress.get(target).match() == log.lastIndex()) {
      sendNow.add(new TimeoutNow(config.nodeId(), target, term));
    } else {
      sendAppend(target, true);
    }
  }

  /**
   * The driver took a snapshot of the applied state up to {@code index} (Raft §7): entries it
   * covers are dropped from the log, and followers too far behind receive it. Returns the
   * snapshot with its term and configuration filled in, for the driver to publish durably.
   */
  public Snapshot compact(long index, byte[] data) {
    return compact(index, index, data);
  }

  /**
   * As {@link #compact(long, byte[])}, but keeps the entries after {@code compactThrough} (at most
   * {@code index}) in the log: a trailing margin, so that a follower only slightly behind still
   * catches up by appends instead of the whole snapshot.
   */
  public Snapshot compact(long index, long compactThrough, byte[] data) {
    Check.argument(
        index <= log.applied(), "snapshot %s beyond applied %s", index, log.applied());
    Check.argument(
        compactThrough <= index, "compaction through %s beyond snapshot %s", compactThrough, index);
    if (snapshot != null && index <= snapshot.index()) {
      return snapshot;
    }
    Snapshot published = new Snapshot(index, log.term(index), configurationAt(index), data);
    if (compactThrough >= log.firstIndex()) {
      log.compact(compactThrough);
    }
    snapshot = published;
    return published;
  }

  /** The latest snapshot this core knows (taken here or installed from the leader), or null. */
  public Snapshot snapshot() {
    return snapshot;
  }

  /** Completion: the write of a {@link Ready} ending at (index, term) is durable. */
  public void onPersisted(long index, long term) {
    log.persistedTo(index, term);
    if (role == Role.LEADER && maybeCommit()) {
      // Our own write was the last one the quorum needed: tell the followers now, not at the
      // next heartbeat (they apply, and answer their forwarded proposals, only once told).
      broadcastPending = true;
      broadcastCommit = true;
    }
  }

  // ---------------------------------------------------------------- output

  /** True when {@link #ready()} would return something worth handling. */
  public boolean hasReady() {
    return broadcastPending || !sendNow.isEmpty() || !sendAfterPersist.isEmpty() || log.hasUnstable()
        || !hardState().equals(emittedHardState) || !softState().equals(emittedSoftState)
        || Math.min(log.committed(), log.persisted()) > log.applied() || !readStates.isEmpty()
        || !failedReads.isEmpty() || pendingInstall != null;
  }

  /** Drains the output accumulated since the previous call; see {@link Ready} for the contract. */
  public Ready ready() {
    flushBroadcast();
    HardState hard = hardState();
    boolean hardChanged = !hard.equals(emittedHardState);
    // Appends may leave before the log is durable (thesis §10.2.1), never before the term and vote:
    // a one-voter win followed by a crash would otherwise lead the same term twice (two leaders'
    // entries sharing an (index, term) at a learner; found by the simulator, seed 0xf7f3c854eba1a163).
    boolean termDurableFirst = hard.term() != emittedHardState.term()
        || hard.votedFor() != emittedHardState.votedFor();
    LogWrite write = null;
    if (hardChanged || log.hasUnstable()) {
      long truncateFrom = log.pendingTruncateFrom();
      write = new LogWrite(hardChanged ? hard : null, truncateFrom, log.takeUnstable());
    }
    emittedHardState = hard;
    if (termDurableFirst && !sendNow.isEmpty()) {
      sendAfterPersist.addAll(0, sendNow);
      sendNow.clear();
    }
    SoftState soft = softState();
    SoftState softChanged = soft.equals(emittedSoftState) ? null : soft;
    emittedSoftState = soft;
    Snapshot install = pendingInstall;
    pendingInstall = null;
    Ready ready =
        new Ready(
            softChanged, install, write, log.lastIndex(), log.lastTerm(), sendNow, sendAfterPersist,
            log.takeApplicable(), readStates, failedReads);
    sendNow.clear();
    sendAfterPersist.clear();
    readStates.clear();
    failedReads.clear();
    return ready;
  }

  // ---------------------------------------------------------------- elections

  /**
   * Starts a (pre-)election (Raft §5.2). A pre-vote asks for votes in {@code term + 1} without
   * incrementing our term, so a partitioned node cannot inflate terms (thesis §9.6).
   */
  private void campaign(boolean preVote, boolean transfer) {
    long campaignTerm;
    if (preVote) {
      role = Role.PRE_CANDIDATE;
      leaderId = 0;
      campaignTerm = term + 1;
    } else {
      term++;
      votedFor = config.nodeId();
      role = Role.CANDIDATE;
      leaderId = 0;
      campaignTerm = term;
    }
    votes.clear();
    votes.put(config.nodeId(), true);
    resetElectionTimer();
    failPendingReads();
    if (configuration.tally(votes) == Quorum.VoteResult.WON) {
      winVote(preVote);
      return;
    }
    for (int voter : configuration.allVoters()) {
      if (voter != config.nodeId()) {
        sendAfterPersist.add(
            new VoteRequest(
                config.nodeId(), voter, campaignTerm, log.lastIndex(), log.lastTerm(), preVote,
                transfer));
      }
    }
  }

  private void winVote(boolean preVote) {
    if (preVote) {
      campaign(false, false);
    } else {
      becomeLeader();
    }
  }

  /** Grants a vote to an up-to-date candidate, once per term (Raft §5.2, §5.4.1). */
  private void handleVoteRequest(VoteRequest request) {
    boolean canVote =
        votedFor == request.from()
            || (votedFor == 0 && leaderId == 0)
            || (request.preVote() && request.term() > term);
    boolean granted = canVote && log.isUpToDate(request.lastLogIndex(), request.lastLogTerm());
    if (granted && !request.preVote()) {
      votedFor = request.from();
      electionElapsed = 0;
    }
    long answerTerm = request.preVote() && granted ? request.term() : term;
    sendAfterPersist.add(
        new VoteResponse(config.nodeId(), request.from(), answerTerm, granted, request.preVote()));
  }

  private void handleVoteResponse(VoteResponse response) {
    boolean expected =
        (role == Role.PRE_CANDIDATE && response.preVote())
            || (role == Role.CANDIDATE && !response.preVote());
    if (!expected) {
      return;
    }
    votes.put(response.from(), response.granted());
    switch (configuration.tally(votes)) {
      case WON -> winVote(response.preVote());
      case LOST -> becomeFollower(term, 0);
      case PENDING -> {}
    }
  }

  private void becomeFollower(long newTerm, int leader) {
    Check.invariant(newTerm >= term, "term must not go back: %s -> %s", term, newTerm);
    if (newTerm > term) {
      term = newTerm;
      votedFor = 0;
    }
    role = Role.FOLLOWER;
    leaderId = leader;
    transferee = 0;
    resetLease();
    resetElectionTimer();
    failPendingReads();
  }

  /**
   * Takes office: every follower is probed from our last index, and an empty entry of the new term
   * is appended so that earlier entries can commit (§5.4.2) and ReadIndex can start (§6.4).
   */
  private void becomeLeader() {
    Check.invariant(role == Role.CANDIDATE, "only a candidate can lead, was %s", role);
    role = Role.LEADER;
    leaderId = config.nodeId();
    transferee = 0;
    transferredThisTerm = false;
    resetLease();
    heartbeatElapsed = 0;
    electionElapsed = 0;
    progress.clear();
    syncProgress();
    log.appendLocal(new LogEntry(log.lastIndex() + 1, term, EntryKind.NOOP.frame(new byte[0])));
    broadcastAppend(true);
    maybeCommit();
  }

  /** Keeps one {@link Progress} per member other than this node (leader only). */
  private void syncProgress() {
    Set<Integer> members = configuration.members();
    progress.keySet().retainAll(members);
    for (int member : members) {
      if (member != config.nodeId() && !progress.containsKey(member)) {
        Progress peer = new Progress(log.lastIndex() + 1, config.maxInflightAppends());
        peer.setRecentActive(true);
        progress.put(member, peer);
      }
    }
  }

  private void resetElectionTimer() {
    electionElapsed = 0;
    randomizedElectionTimeout =
        config.electionTimeoutTicks() + random.nextInt(config.electionTimeoutTicks());
  }

  private void failPendingReads() {
    failedReads.addAll(reads.clear());
  }

  // ---------------------------------------------------------------- replication: follower

  /** AppendEntries receiver (Raft Figure 2, §5.3). */
  private void handleAppend(AppendRequest request) {
    Check.invariant(
        role != Role.LEADER, "two leaders in term %s: %s and %s", term, config.nodeId(),
        request.from());
    if (role != Role.FOLLOWER || leaderId != request.from()) {
      becomeFollower(term, request.from());
    }
    electionElapsed = 0;
    if (request.prevLogIndex() < log.committed()) {
      respondAppend(request, true, log.committed(), 0);
      return;
    }
    if (!log.matchTerm(request.prevLogIndex(), request.prevLogTerm())) {
      long hint = log.rejectHint(request.prevLogIndex(), request.prevLogTerm());
      respondAppend(request, false, 0, hint);
      return;
    }
    long lastNew = log.appendFromLeader(request.prevLogIndex(), request.entries());
    if (configIndex > request.prevLogIndex() || containsConfiguration(request.entries())) {
      recomputeConfiguration();
    }
    log.commitTo(Math.min(request.leaderCommit(), lastNew));
    respondAppend(request, true, lastNew, 0);
  }

  private void respondAppend(AppendRequest request, boolean success, long match, long hint) {
    AppendResponse response =
        new AppendResponse(
            config.nodeId(), request.from(), term, success, match,
            success ? 0 : request.prevLogIndex(), hint, request.readContext());
    int last = sendAfterPersist.size() - 1;
    if (last >= 0 && sendAfterPersist.get(last) instanceof AppendResponse previous
        && supersedes(response, previous)) {
      // Appends stepped in one batch need one answer: the leader only keeps the highest match.
      sendAfterPersist.set(last, response);
      return;
    }
    sendAfterPersist.add(response);
  }

  /**
   * True when {@code next} says all that {@code previous} says: both are plain acceptances (no
   * read context to confirm) to the same leader in the same term, and {@code next} matches at
   * least as far. Both are sent only once the same write is durable, so dropping the first loses
   * nothing.
   */
  private static boolean supersedes(AppendResponse next, AppendResponse previous) {
    return next.success() && previous.success() && next.to() == previous.to()
        && next.term() == previous.term() && next.readContext() == 0
        && previous.readContext() == 0 && next.matchIndex() >= previous.matchIndex();
  }

  /**
   * InstallSnapshot receiver (Raft §7, Figure 13). A snapshot of entries we already hold only
   * advances the commit index; otherwise the log is discarded and the snapshot installed.
   */
  private void handleSnapshot(InstallSnapshot install) {
    Check.invariant(
        role != Role.LEADER, "two leaders in term %s: %s and %s", term, config.nodeId(),
        install.from());
    if (role != Role.FOLLOWER || leaderId != install.from()) {
      becomeFollower(term, install.from());
    }
    electionElapsed = 0;
    Snapshot offered = install.snapshot();
    long match;
    if (offered.index() <= log.committed()) {
      match = log.committed();
    } else if (log.matchTerm(offered.index(), offered.term())) {
      log.commitTo(offered.index());
      match = offered.index();
    } else {
      log.restore(offered.index(), offered.term());
      snapshot = offered;
      configuration = offered.configuration();
      configIndex = offered.index();
      pendingInstall = offered;
      match = offered.index();
    }
    sendAfterPersist.add(
        new AppendResponse(config.nodeId(), install.from(), term, true, match, 0, 0, 0));
  }

  // ---------------------------------------------------------------- replication: leader

  private void handleAppendResponse(AppendResponse response) {
    Progress peer = progress.get(response.from());
    if (role != Role.LEADER || peer == null) {
      return;
    }
    peer.setRecentActive(true);
    if (response.readContext() != 0) {
      readStates.addAll(
          reads.acknowledge(response.from(), response.readContext(), configuration::hasQuorum));
      if (leaseReads) {
        lease.acked(response.from(), response.readContext(), configuration::hasQuorum);
      }
    }
    if (response.success()) {
      peer.resumeProbe();
      if (peer.acknowledge(response.matchIndex()) && maybeCommit()) {
        broadcastPending = true;
        broadcastCommit = true;
      } else {
        sendAppend(response.from(), peer.match() < log.lastIndex());
      }
      if (transferee == response.from() && peer.match() == log.lastIndex()) {
        sendNow.add(new TimeoutNow(config.nodeId(), transferee, term));
      }
    } else if (peer.reject(response.rejectedIndex(), response.rejectHint())) {
      sendAppend(response.from(), true);
    } else {
      peer.resumeProbe();
      sendAppend(response.from(), peer.match() < log.lastIndex());
    }
  }

  /**
   * Advances the commit index to the highest index on a majority, but only if that entry is of the
   * current term (§5.4.2, Figure 8). Our own log counts only as far as it is durable.
   */
  private boolean maybeCommit() {
    long candidate = configuration.committedIndex(this::matchOf);
    if (candidate <= log.committed() || log.term(candidate) != term) {
      return false;
    }
    boolean firstOfTerm = log.term(log.committed()) != term;
    log.commitTo(candidate);
    if (firstOfTerm) {
      for (long requestId : reads.drainWaiting()) {
        startRead(requestId);
      }
    }
    advanceConfiguration();
    return true;
  }

  private long matchOf(int id) {
    if (id == config.nodeId()) {
      return log.persisted();
    }
    Progress peer = progress.get(id);
    return peer == null ? 0 : peer.match();
  }

  /**
   * Once the joint configuration commits the leader appends the new one (thesis §4.3); once that
   * commits, a leader that is no longer a voter steps down (thesis §4.2.2).
   */
  private void advanceConfiguration() {
    if (configIndex > log.committed() || role != Role.LEADER) {
      return;
    }
    if (configuration.joint()) {
      Configuration next = new Configuration(configuration.voters(), Set.of(), configuration.learners());
      appendAsLeader(EntryKind.CONFIGURATION, next.encode());
    } else if (!configuration.isVoter(config.nodeId())) {
      becomeFollower(term, 0);
    }
  }

  // ---------------------------------------------------------------- configuration

  /**
   * May this node stand for election? Voters may. So may a node whose newest configuration is
   * not yet committed, even if it is not a voter there: it may hold the longest log, and without
   * it the change could never finish (the candidate's own configuration decides its quorum, so
   * safety does not depend on the candidate's membership; thesis §4.2.2 lets a leader manage a
   * configuration that excludes it).
   */
  private boolean promotable() {
    return configuration.isVoter(config.nodeId()) || configIndex > log.committed();
  }

  private void applyConfiguration(Configuration next, long index) {
    configuration = next;
    configIndex = index;
    if (role == Role.LEADER) {
      syncProgress();
      // A lease counted with the old members' answers says nothing about the new quorum.
      resetLease();
    }
  }

  /** The configuration of the newest configuration entry in the log, else the snapshot's. */
  private void recomputeConfiguration() {
    long index = log.lastConfigurationIndex(log.lastIndex());
    if (index > 0) {
      applyConfiguration(EntryKind.configuration(log.entry(index)), index);
    } else {
      applyConfiguration(baseConfiguration(), log.firstIndex() - 1);
    }
  }

  /**
   * The configuration in effect at {@code index} (for a snapshot taken there); {@code index} must
   * be at or after the compaction point.
   */
  public Configuration configurationAt(long index) {
    Check.argument(
        index >= log.firstIndex() - 1, "configuration at %s is compacted away (first index %s)",
        index, log.firstIndex());
    long at = log.lastConfigurationIndex(index);
    return at > 0 ? EntryKind.configuration(log.entry(at)) : baseConfiguration();
  }

  private Configuration baseConfiguration() {
    return snapshot != null ? snapshot.configuration() : Configuration.of(config.voters());
  }

  private static boolean containsConfiguration(List<LogEntry> entries) {
    for (LogEntry entry : entries) {
      if (EntryKind.of(entry) == EntryKind.CONFIGURATION) {
        return true;
      }
    }
    return false;
  }

  /** Sends the appends owed since the last {@link #ready()} (see {@link #broadcastPending}). */
  private void flushBroadcast() {
    boolean commit = broadcastCommit;
    boolean pending = broadcastPending;
    broadcastPending = false;
    broadcastCommit = false;
    if (!pending || role != Role.LEADER) {
      return;
    }
    for (Map.Entry<Integer, Progress> entry : progress.entrySet()) {
      boolean untold = entry.getValue().commitSent() < log.committed();
      sendAppend(entry.getKey(), commit && untold);
    }
  }

  private void broadcastAppend(boolean sendIfEmpty) {
    for (int peer : progress.keySet()) {
      sendAppend(peer, sendIfEmpty);
    }
  }

  /** Sends the next batch to one follower unless its flow control is paused. */
  private void sendAppend(int peerId, boolean sendIfEmpty) {
    Progress peer = progress.get(peerId);
    if (peer.paused()) {
      return;
    }
    long prev = peer.next() - 1;
    if (peer.next() < log.firstIndex()) {
      sendSnapshot(peerId, peer);
      return;
    }
    List<LogEntry> batch =
        log.slice(peer.next(), config.maxEntriesPerAppend(), config.maxBytesPerAppend());
    if (batch.isEmpty() && !sendIfEmpty) {
      return;
    }
    sendNow.add(
        new AppendRequest(
            config.nodeId(), peerId, term, prev, log.term(prev), batch, log.committed(), 0));
    peer.sent(prev + batch.size(), !batch.isEmpty());
    peer.commitSent(log.committed());
  }

  /** The follower needs entries we compacted away: send the snapshot instead (Raft §7). */
  private void sendSnapshot(int peerId, Progress peer) {
    Check.invariant(snapshot != null, "log compacted to %s without a snapshot", log.firstIndex());
    sendNow.add(new InstallSnapshot(config.nodeId(), peerId, term, snapshot));
    peer.snapshotSent(snapshot.index());
  }

  /**
   * Heartbeats assert leadership, carry the commit index up to what each follower matches, and
   * (with a context) confirm leadership for ReadIndex.
   */
  private void broadcastHeartbeat(long readContext) {
    if (leaseReads && !transferredThisTerm) {
      // A fresh context per round: it also confirms every read started before it.
      readContext = reads.newContext();
      lease.roundSent(readContext, now);
    }
    for (Map.Entry<Integer, Progress> entry : progress.entrySet()) {
      long match = entry.getValue().match();
      if (log.term(match) < 0) {
        match = 0;
      }
      sendNow.add(
          new AppendRequest(
              config.nodeId(), entry.getKey(), term, match, log.term(match), List.of(),
              Math.min(log.committed(), match), readContext));
    }
  }

  // ---------------------------------------------------------------- views

  private HardState hardState() {
    return new HardState(term, votedFor, log.committed());
  }

  private SoftState softState() {
    return new SoftState(term, leaderId, role);
  }

  public int nodeId() {
    return config.nodeId();
  }

  public long term() {
    return term;
  }

  public Role role() {
    return role;
  }

  public int leaderId() {
    return leaderId;
  }

  /** Replication state of each follower as this leader sees it (empty when not leading). */
  public List<FollowerStatus> followers() {
    List<FollowerStatus> out = new ArrayList<>();
    if (role == Role.LEADER) {
      for (Map.Entry<Integer, Progress> entry : progress.entrySet()) {
        Progress peer = entry.getValue();
        out.add(
            new FollowerStatus(
                entry.getKey(), peer.match(), peer.next(), peer.state().name(),
                peer.recentActive()));
      }
    }
    return out;
  }

  /** The configuration in effect on this node (its newest configuration entry, committed or not). */
  public Configuration configuration() {
    return configuration;
  }

  public long commitIndex() {
    return log.committed();
  }

  public long appliedIndex() {
    return log.applied();
  }

  public long firstIndex() {
    return log.firstIndex();
  }

  public long lastIndex() {
    return log.lastIndex();
  }

  /** The term at {@code index}, or -1 when not stored here. */
  public long termAt(long index) {
    return log.term(index);
  }

  /** The entry at {@code index}, which must be stored here. */
  public LogEntry entryAt(long index) {
    return log.entry(index);
  }
}
