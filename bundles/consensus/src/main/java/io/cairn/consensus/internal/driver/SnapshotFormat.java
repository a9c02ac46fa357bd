package io.cairn.consensus.internal.driver;

import io.cairn.consensus.internal.core.Configuration;
import io.cairn.consensus.spi.StateMachine;
import io.cairn.env.storage.SnapshotMeta;
import io.cairn.env.storage.SnapshotStore;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one combined snapshot of every state machine of the group, as it lies in the {@link
 * SnapshotStore} and travels in InstallSnapshot chunks:
 *
 * <pre>
 *   int magic "CSN1" | configuration (voters, outgoing, learners: int count + ids each)
 *   then per namespace, in name order: byte 1 | UTF namespace | blocks (int length > 0 + bytes)
 *        | int 0
 *   byte 0 (end)
 * </pre>
 *
 * Each state machine streams its own section ({@link StateMachine#snapshot}) in blocks of at most
 * 64 KiB, so neither side holds a whole section in memory, and a reader can skip a section it
 * does not need without decoding it. The store checksums every chunk.
 *
 * <p>Stateless; called on the group's event loop.
 */
final class SnapshotFormat {
  private static final int MAGIC = 0x43534E31;
  private static final int BLOCK_BYTES = 64 * 1024;
  private static final int MAX_MEMBERS = 1024;

  /** What a snapshot holds besides the state machines' bytes. */
  record Header(Configuration configuration) {}

  private SnapshotFormat() {}

  /**
   * One snapshot, in memory, chunk by chunk: the configuration, then every machine's section in
   * namespace order. The machines are read now (on the loop); the chunks can be stored later,
   * on another thread, with {@link #store}.
   *
   * @throws IOException when a state machine fails to write its state
   */
  static List<byte[]> serialize(
      Configuration configuration, Collection<StateMachine> machines, int chunkBytes)
      throws IOException {
    List<byte[]> chunks = new ArrayList<>();
    writeBody(new SnapshotStore.SnapshotWriter() {
      @Override
      public void write(byte[] chunk) {
        chunks.add(chunk);
      }

      @Override
      public SnapshotMeta publish() {
        throw new UnsupportedOperationException("serialized chunks are published by store()");
      }

      @Override
      public void abort() {}
    }, configuration, machines, chunkBytes);
    return chunks;
  }

  /**
   * Stores and publishes chunks made by {@link #serialize} as the snapshot through (index, term).
   * Any thread; the store refuses (IllegalStateException) a snapshot not newer than its latest.
   */
  static SnapshotMeta store(SnapshotStore store, long index, long term, List<byte[]> chunks) {
    SnapshotStore.SnapshotWriter writer = store.begin(index, term);
    boolean published = false;
    try {
      chunks.forEach(writer::write);
      SnapshotMeta meta = writer.publish();
      published = true;
      return meta;
    } finally {
      if (!published) {
        writer.abort();
      }
    }
  }

  private static void writeBody(
      SnapshotStore.SnapshotWriter writer, Configuration configuration,
      Collection<StateMachine> machines, int chunkBytes) throws IOException {
    ChunkOutput chunks = new ChunkOutput(writer, chunkBytes);
    DataOutputStream out = new DataOutputStream(chunks);
    out.writeInt(MAGIC);
    for (Set<Integer> ids :
        List.of(configuration.voters(), configuration.outgoing(), configuration.learners())) {
      out.writeInt(ids.size());
      for (int id : new TreeSet<>(ids)) {
        out.writeInt(id);
      }
    }
    List<StateMachine> sorted = new ArrayList<>(machines);
    sorted.sort(Comparator.comparing(StateMachine::namespace));
    for (StateMachine machine : sorted) {
      out.writeByte(1);
      out.writeUTF(machine.namespace());
      SectionOutput section = new SectionOutput(out);
      machine.snapshot(section);
      section.finish();
    }
    out.writeByte(0);
    out.flush();
    chunks.finish();
  }

  /** Reads the header of {@code meta}. */
  static Header readHeader(SnapshotStore store, SnapshotMeta meta, int chunkBytes)
      throws IOException {
    try (DataInputStream in = new DataInputStream(new StoreInput(store, meta, chunkBytes))) {
      return readHeader(in, meta);
    }
  }

  /**
   * Restores every machine of {@code machines} whose namespace has a section in {@code meta};
   * sections without a machine are skipped. Returns the namespaces the snapshot holds.
   *
   * @throws IOException when the snapshot cannot be decoded or a machine refuses its section
   */
  static Set<String> restore(
      SnapshotStore store, SnapshotMeta meta, Map<String, StateMachine> machines, int chunkBytes)
      throws IOException {
    Set<String> namespaces = new LinkedHashSet<>();
    try (DataInputStream in = new DataInputStream(new StoreInput(store, meta, chunkBytes))) {
      readHeader(in, meta);
      while (true) {
        int tag = in.readByte();
        if (tag == 0) {
          return namespaces;
        }
        if (tag != 1) {
          throw new IOException(
              "snapshot through " + meta.lastIndex() + " has a bad section tag " + tag);
        }
        String namespace = in.readUTF();
        namespaces.add(namespace);
        SectionInput section = new SectionInput(in);
        StateMachine machine = machines.get(namespace);
        if (machine != null) {
          machine.restore(meta.lastIndex(), section);
        }
        section.skipRest();
      }
    }
  }

  private static Header readHeader(DataInputStream in, SnapshotMeta meta) throws IOException {
    int magic = in.readInt();
    if (magic != MAGIC) {
      throw new IOException(
          "snapshot through " + meta.lastIndex() + " is not a Cairn snapshot (magic "
              + Integer.toHexString(magic) + ")");
    }
    List<Set<Integer>> sets = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int count = in.readInt();
      if (count < 0 || count > MAX_MEMBERS) {
        throw new IOException(
            "snapshot through " + meta.lastIndex() + " has " + count + " members");
      }
      Set<Integer> ids = new TreeSet<>();
      for (int j = 0; j < count; j++) {
        ids.add(in.readInt());
      }
      sets.add(ids);
    }
    try {
      return new Header(new Configuration(sets.get(0), sets.get(1), sets.get(2)));
    } catch (IllegalArgumentException e) {
      throw new IOException(
          "snapshot through " + meta.lastIndex() + " has a bad configuration: " + e.getMessage(),
          e);
    }
  }

  /** Buffers bytes into chunks of {@code chunkBytes} for the store's writer. */
  private static final class ChunkOutput extends OutputStream {
    private final SnapshotStore.SnapshotWriter writer;
    private final byte[] buffer;
    private int filled;

    ChunkOutput(SnapshotStore.SnapshotWriter writer, int chunkBytes) {
      this.writer = writer;
      this.buffer = new byte[chunkBytes];
    }

    @Override
    public void write(int b) {
      buffer[filled++] = (byte) b;
      if (filled == buffer.length) {
        finish();
      }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      while (length > 0) {
        int n = Math.min(length, buffer.length - filled);
        System.arraycopy(bytes, offset, buffer, filled, n);
        filled += n;
        offset += n;
        length -= n;
        if (filled == buffer.length) {
          finish();
        }
      }
    }

    /** Hands the buffered bytes to the writer. */
    void finish() {
      if (filled > 0) {
        writer.write(java.util.Arrays.copyOf(buffer, filled));
        filled = 0;
      }
    }
  }

  /** One machine's section: length-prefixed blocks, ended by a zero length. */
  private static final class SectionOutput extends OutputStream {
    private final DataOutputStream out;
    private final byte[] block = new byte[BLOCK_BYTES];
    private int filled;
    private boolean finished;

    SectionOutput(DataOutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      checkOpen();
      block[filled++] = (byte) b;
      if (filled == block.length) {
        flushBlock();
      }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      checkOpen();
      while (length > 0) {
        int n = Math.min(length, block.length - filled);
        System.arraycopy(bytes, offset, block, filled, n);
        filled += n;
        offset += n;
        length -= n;
        if (filled == block.length) {
          flushBlock();
        }
      }
    }

    /** A state machine closing its stream must not end the whole snapshot. */
    @Override
    public void close() {}

    private void checkOpen() throws IOException {
      if (finished) {
        throw new IOException("the snapshot section is finished");
      }
    }

    private void flushBlock() throws IOException {
      if (filled > 0) {
        out.writeInt(filled);
        out.write(block, 0, filled);
        filled = 0;
      }
    }

    void finish() throws IOException {
      flushBlock();
      out.writeInt(0);
      finished = true;
    }
  }

  /** Reads one section's blocks; returns -1 at its end. */
  private static final class SectionInput extends InputStream {
    private final DataInputStream in;
    private int remaining;
    private boolean ended;

    SectionInput(DataInputStream in) {
      this.in = in;
    }

    private boolean nextBlock() throws IOException {
      while (!ended && remaining == 0) {
        int length = in.readInt();
        if (length < 0 || length > BLOCK_BYTES) {
          throw new IOException("snapshot section block of " + length + " bytes");
        }
        if (length == 0) {
          ended = true;
        }
        remaining = length;
      }
      return !ended;
    }

    @Override
    public int read() throws IOException {
      if (!nextBlock()) {
        return -1;
      }
      remaining--;
      return in.readUnsignedByte();
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      if (!nextBlock()) {
        return -1;
      }
      int n = in.read(bytes, offset, Math.min(length, remaining));
      if (n < 0) {
        throw new EOFException("snapshot ends inside a section");
      }
      remaining -= n;
      return n;
    }

    /** A state machine closing its stream must not close the snapshot. */
    @Override
    public void close() {}

    /** Skips what the machine did not read, up to the section's end. */
    void skipRest() throws IOException {
      while (nextBlock()) {
        in.skipNBytes(remaining);
        remaining = 0;
      }
    }
  }

  /** A published snapshot's bytes, read from the store chunk by chunk; skips without reading. */
  private static final class StoreInput extends InputStream {
    private final SnapshotStore store;
    private final SnapshotMeta meta;
    private final int chunkBytes;
    private byte[] buffer = new byte[0];
    private int position;
    private long offset;

    StoreInput(SnapshotStore store, SnapshotMeta meta, int chunkBytes) {
      this.store = store;
      this.meta = meta;
      this.chunkBytes = chunkBytes;
    }

    private boolean fill() {
      if (position < buffer.length) {
        return true;
      }
      if (offset >= meta.sizeBytes()) {
        return false;
      }
      buffer = store.read(meta, offset, chunkBytes);
      position = 0;
      offset += buffer.length;
      return buffer.length > 0;
    }

    @Override
    public int read() {
      return fill() ? buffer[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] bytes, int off, int length) {
      if (length == 0) {
        return 0;
      }
      if (!fill()) {
        return -1;
      }
      int n = Math.min(length, buffer.length - position);
      System.arraycopy(buffer, position, bytes, off, n);
      position += n;
      return n;
    }

    @Override
    public long skip(long n) {
      if (n <= 0) {
        return 0;
      }
      long inBuffer = buffer.length - position;
      if (n <= inBuffer) {
        position += (int) n;
        return n;
      }
      long beyond = Math.min(n - inBuffer, meta.sizeBytes() - offset);
      position = buffer.length;
      offset += beyond;
      return inBuffer + beyond;
    }
  }
}
