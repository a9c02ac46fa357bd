package io.cairn.consensus.internal.driver;

import io.cairn.consensus.spi.StateMachine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A register per key that really snapshots and restores itself, and records every restore, so a
 * test can tell a catch-up by snapshot from one by log replay. Thread-safe by synchronisation
 * (the driver calls it on its loop; tests read it from theirs).
 */
final class SnapshotKvMachine implements StateMachine {
  private final String namespace;
  private final TreeMap<String, String> values = new TreeMap<>();
  private final List<Long> restoredAt = new ArrayList<>();
  private long lastApplied;

  SnapshotKvMachine(String namespace) {
    this.namespace = namespace;
  }

  @Override
  public String namespace() {
    return namespace;
  }

  @Override
  public synchronized byte[] apply(long index, byte[] command) {
    String[] kv = new String(command, StandardCharsets.UTF_8).split("=", 2);
    values.put(kv[0], kv[1]);
    lastApplied = index;
    return new byte[0];
  }

  @Override
  public synchronized void snapshot(OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    data.writeLong(lastApplied);
    data.writeInt(values.size());
    for (Map.Entry<String, String> entry : values.entrySet()) {
      data.writeUTF(entry.getKey());
      data.writeUTF(entry.getValue());
    }
    data.flush();
  }

  @Override
  public synchronized void restore(long lastIndex, InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    lastApplied = data.readLong();
    int size = data.readInt();
    values.clear();
    for (int i = 0; i < size; i++) {
      values.put(data.readUTF(), data.readUTF());
    }
    restoredAt.add(lastIndex);
  }

  synchronized Map<String, String> values() {
    return new TreeMap<>(values);
  }

  synchronized List<Long> restoredAt() {
    return List.copyOf(restoredAt);
  }
}
