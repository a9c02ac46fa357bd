package io.cairn.consensus.internal.core;

import io.cairn.env.storage.LogEntry;
import io.cairn.env.storage.LogWrite;
import java.util.List;

/**
 * The core's output since the last one, in the spirit of etcd-raft's {@code Ready}. The driver
 * handles it in this order:
 *
 * <ol>
 *   <li>send {@link #sendNow()}: the leader's appends, which need nothing durable first (a leader
 *       writes its log in parallel with replicating it, thesis §10.2.1);
 *   <li>submit {@link #snapshot()} (if any), then {@link #write()} (if any), to durable storage,
 *       after every earlier write;
 *   <li>once that write and every earlier one is synced, send {@link #sendAfterPersist()} (votes
 *       and acknowledgements promise durable state, Raft Figure 2 "persistent state") and call
 *       {@link RaftCore#onPersisted(long, long)} with {@link #persistIndex()}/{@link
 *       #persistTerm()}; with no write, these messages still wait for earlier writes;
 *   <li>apply {@link #committedEntries()} in order (they are durable already), then serve {@link
 *       #readStates()} whose index is applied, and fail {@link #failedReads()}.
 * </ol>
 *
 * @param softState the new soft state, or null when unchanged
 * @param snapshot a snapshot received from the leader, or null: persist it before {@code write},
 *     and restore the state machines from it before applying {@code committedEntries}
 * @param write the durable change, or null when there is none
 * @param persistIndex the last log index once {@code write} is durable
 * @param persistTerm the term at {@code persistIndex}
 * @param sendNow messages that may be sent at once
 * @param sendAfterPersist messages that may be sent only once every write so far is durable
 * @param committedEntries committed, durable entries to apply, in order
 * @param readStates confirmed reads
 * @param failedReads read request ids that failed because leadership was lost or absent
 */
public record Ready(
    SoftState softState,
    Snapshot snapshot,
    LogWrite write,
    long persistIndex,
    long persistTerm,
    List<Message> sendNow,
    List<Message> sendAfterPersist,
    List<LogEntry> committedEntries,
    List<ReadState> readStates,
    List<Long> failedReads) {

  public Ready {
    sendNow = List.copyOf(sendNow);
    sendAfterPersist = List.copyOf(sendAfterPersist);
    committedEntries = List.copyOf(committedEntries);
    readStates = List.copyOf(readStates);
    failedReads = List.copyOf(failedReads);
  }
}
