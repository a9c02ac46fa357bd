package io.cairn.consensus.internal.driver;

import io.cairn.consensus.internal.core.Message.InstallSnapshot;
import io.cairn.consensus.internal.wire.SnapshotTransfer;
import io.cairn.env.storage.CorruptionException;
import io.cairn.env.storage.SnapshotMeta;
import io.cairn.env.storage.SnapshotStore;
import io.cairn.env.storage.StorageException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's side of chunked InstallSnapshot (Raft §7, Figure 13). The core asks for the whole
 * snapshot to be sent to a follower; this streams the published snapshot from the {@link
 * SnapshotStore} one chunk at a time, each sent from the offset the follower last asked for, so a
 * lost or duplicated chunk heals. A chunk unanswered for {@code chunkRetransmitTicks} is sent
 * again, backing off up to eight times that while it stays unanswered; a transfer without
 * progress for {@code transferTimeoutTicks} is dropped (the core asks
 * again). The core repeats its request while it waits; a transfer that is progressing ignores it.
 *
 * <p>Called only on the group's event loop.
 */
public final class SnapshotSender {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotSender.class);

  /** One transfer to one follower. */
  private static final class Session {
    final InstallSnapshot request;
    final SnapshotMeta meta;
    long offset;
    long lastProgressTick;
    long lastSendTick;
    long retransmitTicks;

    Session(InstallSnapshot request, SnapshotMeta meta, long tick, long retransmitTicks) {
      this.request = request;
      this.meta = meta;
      this.lastProgressTick = tick;
      this.retransmitTicks = retransmitTicks;
    }
  }

  private final SnapshotStore store;
  private final SnapshotSettings settings;
  private final Consumer<SnapshotTransfer> send;
  private final Map<Integer, Session> sessions = new HashMap<>();

  public SnapshotSender(
      SnapshotStore store, SnapshotSettings settings, Consumer<SnapshotTransfer> send) {
    this.store = store;
    this.settings = settings;
    this.send = send;
  }

  /**
   * The core wants {@code request.snapshot()} sent to {@code request.to()}; {@code meta} is the
   * published snapshot holding its bytes.
   */
  public void start(InstallSnapshot request, SnapshotMeta meta, long tick) {
    if (meta == null || meta.lastIndex() != request.snapshot().index()) {
      LOG.warn("no published snapshot through {} to send node={} to={} published={}",
          request.snapshot().index(), request.from(), request.to(), meta);
      return;
    }
    Session running = sessions.get(request.to());
    if (running != null && running.meta.equals(meta) && running.request.term() == request.term()
        && tick - running.lastProgressTick < settings.transferTimeoutTicks()) {
      return;
    }
    LOG.info("sending snapshot node={} to={} index={} bytes={}", request.from(), request.to(),
        meta.lastIndex(), meta.sizeBytes());
    Session session = new Session(request, meta, tick, settings.chunkRetransmitTicks());
    sessions.put(request.to(), session);
    if (!sendChunk(request.to(), session, tick)) {
      sessions.remove(request.to());
    }
  }

  /** The follower's answer: go on from the offset it asks for, or finish. */
  public void onAck(SnapshotTransfer.Ack ack, long tick) {
    Session session = sessions.get(ack.from());
    if (session == null || session.meta.lastIndex() != ack.index()) {
      return;
    }
    if (ack.done()) {
      sessions.remove(ack.from());
      LOG.info("snapshot sent node={} to={} index={}", session.request.from(), ack.from(),
          ack.index());
      return;
    }
    long next = ack.nextOffset() > session.meta.sizeBytes() ? 0 : ack.nextOffset();
    if (next > session.offset) {
      session.lastProgressTick = tick;
      session.retransmitTicks = settings.chunkRetransmitTicks();
    }
    session.offset = next;
    if (!sendChunk(ack.from(), session, tick)) {
      sessions.remove(ack.from());
    }
  }

  /** Retransmits unanswered chunks and drops transfers that stopped making progress. */
  public void tick(long tick) {
    Iterator<Map.Entry<Integer, Session>> it = sessions.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Integer, Session> entry = it.next();
      Session session = entry.getValue();
      if (tick - session.lastProgressTick >= settings.transferTimeoutTicks()) {
        it.remove();
        LOG.warn("snapshot transfer made no progress for {} ticks; dropped to={} index={}",
            settings.transferTimeoutTicks(), entry.getKey(), session.meta.lastIndex());
      } else if (tick - session.lastSendTick >= session.retransmitTicks) {
        // Back off (up to 8x) while unanswered: the follower may be down.
        session.retransmitTicks = Math.min(session.retransmitTicks * 2,
            8L * settings.chunkRetransmitTicks());
        if (!sendChunk(entry.getKey(), session, tick)) {
          it.remove();
        }
      }
    }
  }

  /** This node stopped leading: its transfers are void. */
  public void clear() {
    sessions.clear();
  }

  /** Number of transfers in progress, for tests and status. */
  int inProgress() {
    return sessions.size();
  }

  /** Sends the chunk at the session's offset; false when the snapshot is gone (replaced). */
  private boolean sendChunk(int to, Session session, long tick) {
    byte[] data;
    try {
      data = store.read(session.meta, session.offset, settings.chunkBytes());
    } catch (CorruptionException e) {
      throw e;
    } catch (StorageException e) {
      // Replaced by a newer snapshot meanwhile: the core will ask for that one.
      LOG.info("snapshot through {} replaced while sending to={}: {}", session.meta.lastIndex(),
          to, e.getMessage());
      return false;
    }
    InstallSnapshot request = session.request;
    boolean done = session.offset + data.length >= session.meta.sizeBytes();
    send.accept(new SnapshotTransfer.Chunk(
        request.from(), to, request.term(), session.meta.lastIndex(), session.meta.lastTerm(),
        request.snapshot().configuration(), session.offset, data, done));
    session.lastSendTick = tick;
    return true;
  }
}
