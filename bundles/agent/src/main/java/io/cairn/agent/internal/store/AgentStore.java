package io.cairn.agent.internal.store;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.cairn.agent.internal.containerizer.CheckpointFiles;
import io.cairn.agent.internal.core.SandboxLayout;
import io.cairn.agent.internal.core.TaskRecord;
import io.cairn.proto.agent.RunTask;
import io.cairn.proto.agent.StatusUpdate;
import io.cairn.proto.mesos.v1.Protos.AgentInfo;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's own checkpoints beside the containerizer's: its identity ({@code
 * <work>/meta/agent.info}) and one record per task ({@code
 * <work>/meta/tasks/<frameworkId>/<taskId>.record}: the RunTask, the latest state and status, and
 * the unacknowledged status updates). Each file is written atomically (temp file, fsync, rename)
 * and ends with a CRC32C of its bytes, checked before anything is parsed, so a torn or corrupt
 * file is skipped with a log line, never half-read.
 *
 * <p>Threading: called only on the agent's event thread.
 */
public final class AgentStore {
  private static final Logger LOG = LoggerFactory.getLogger(AgentStore.class);
  private static final int VERSION = 1;

  private final Path meta;

  /** A store under {@code workDir}. */
  public AgentStore(Path workDir) {
    this.meta = workDir.resolve("meta");
  }

  /** The checkpointed identity, empty for a new agent or an unreadable file. */
  public Optional<AgentInfo> readAgentInfo() {
    return read(meta.resolve("agent.info")).flatMap(bytes -> {
      try {
        return Optional.of(AgentInfo.parseFrom(bytes));
      } catch (IOException e) {
        LOG.warn("skipping unparsable agent.info: {}", e.getMessage());
        return Optional.empty();
      }
    });
  }

  /** Checkpoints the identity, or deletes it when empty. */
  public void writeAgentInfo(Optional<AgentInfo> info) throws IOException {
    Path file = meta.resolve("agent.info");
    if (info.isEmpty()) {
      Files.deleteIfExists(file);
      return;
    }
    Files.createDirectories(meta);
    CheckpointFiles.writeAtomically(file, withCrc(info.get().toByteArray()));
  }

  /** Checkpoints one task record. */
  public void writeTask(TaskRecord record) throws IOException {
    Path file = taskFile(record.frameworkId(), record.taskId());
    Files.createDirectories(file.getParent());
    CheckpointFiles.writeAtomically(file, withCrc(encode(record)));
  }

  /** Deletes one task record. */
  public void removeTask(TaskRecord record) throws IOException {
    Files.deleteIfExists(taskFile(record.frameworkId(), record.taskId()));
  }

  /** Every readable task record. */
  public List<TaskRecord> readTasks() throws IOException {
    Path root = meta.resolve("tasks");
    List<TaskRecord> records = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return records;
    }
    List<Path> files;
    try (var found = Files.find(root, 2,
        (path, attrs) -> attrs.isRegularFile() && path.toString().endsWith(".record"))) {
      files = found.sorted().toList();
    }
    for (Path file : files) {
      read(file).ifPresent(bytes -> {
        try {
          records.add(decode(bytes));
        } catch (IOException | RuntimeException e) {
          LOG.warn("skipping unparsable task record file={}: {}", file, e.getMessage());
        }
      });
    }
    return records;
  }

  private Path taskFile(String frameworkId, String taskId) {
    SandboxLayout.checkSegment("framework id", frameworkId);
    SandboxLayout.checkSegment("task id", taskId);
    return meta.resolve("tasks").resolve(frameworkId).resolve(taskId + ".record");
  }

  static byte[] encode(TaskRecord record) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeUInt32NoTag(VERSION);
    out.writeEnumNoTag(record.state().getNumber());
    byte[] run = RunTask.newBuilder().setFramework(record.framework()).setTask(record.task())
        .build().toByteArray();
    out.writeByteArrayNoTag(run);
    out.writeBoolNoTag(record.latest().isPresent());
    if (record.latest().isPresent()) {
      out.writeByteArrayNoTag(record.latest().get().toByteArray());
    }
    out.writeUInt32NoTag(record.pending().size());
    for (StatusUpdate update : record.pending()) {
      out.writeByteArrayNoTag(update.toByteArray());
    }
    out.flush();
    return bytes.toByteArray();
  }

  static TaskRecord decode(byte[] bytes) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    int version = in.readUInt32();
    if (version != VERSION) {
      throw new IOException("unknown task record version " + version);
    }
    TaskState state = TaskState.forNumber(in.readEnum());
    if (state == null) {
      throw new IOException("unknown task state in record");
    }
    RunTask run = RunTask.parseFrom(in.readByteArray());
    Optional<TaskStatus> latest = in.readBool()
        ? Optional.of(TaskStatus.parseFrom(in.readByteArray())) : Optional.empty();
    int count = in.readUInt32();
    List<StatusUpdate> pending = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      pending.add(StatusUpdate.parseFrom(in.readByteArray()));
    }
    return new TaskRecord(run.getFramework(), run.getTask(), state, latest, pending);
  }

  private static byte[] withCrc(byte[] body) {
    CRC32C crc = new CRC32C();
    crc.update(body);
    return ByteBuffer.allocate(body.length + 4).put(body).putInt((int) crc.getValue()).array();
  }

  private static Optional<byte[]> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      byte[] bytes = Files.readAllBytes(file);
      if (bytes.length < 4) {
        LOG.warn("skipping truncated checkpoint file={}", file);
        return Optional.empty();
      }
      byte[] body = Arrays.copyOf(bytes, bytes.length - 4);
      CRC32C crc = new CRC32C();
      crc.update(body);
      int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
      if (stored != (int) crc.getValue()) {
        LOG.warn("skipping checkpoint with a bad CRC32C file={}", file);
        return Optional.empty();
      }
      return Optional.of(body);
    } catch (IOException e) {
      LOG.warn("skipping unreadable checkpoint file={}: {}", file, e.getMessage());
      return Optional.empty();
    }
  }
}
