package io.cairn.agent.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.cairn.agent.internal.core.TaskRecord;
import io.cairn.proto.agent.StatusUpdate;
import io.cairn.proto.mesos.v1.Protos;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentStoreTest {
  @TempDir Path work;

  static TaskRecord record(String id, int pending) {
    Protos.FrameworkInfo framework = Protos.FrameworkInfo.newBuilder().setUser("u").setName("f")
        .setId(Protos.FrameworkID.newBuilder().setValue("fw-1")).build();
    Protos.TaskStatus status = Protos.TaskStatus.newBuilder()
        .setTaskId(Protos.TaskID.newBuilder().setValue(id)).setState(TaskState.TASK_RUNNING)
        .setUuid(ByteString.copyFromUtf8("0123456789abcdef")).build();
    StatusUpdate update = StatusUpdate.newBuilder().setFrameworkId(framework.getId())
        .setAgentId(Protos.AgentID.newBuilder().setValue("a")).setStatus(status).setTimestamp(1)
        .setUuid(status.getUuid()).build();
    return new TaskRecord(framework, Protos.TaskInfo.newBuilder().setName(id)
        .setTaskId(Protos.TaskID.newBuilder().setValue(id))
        .setAgentId(Protos.AgentID.newBuilder().setValue("a")).build(),
        TaskState.TASK_RUNNING, Optional.of(status), java.util.Collections.nCopies(pending, update));
  }

  @Test
  void recordsAndAgentInfoRoundTrip() throws Exception {
    AgentStore store = new AgentStore(work);
    assertTrue(store.readAgentInfo().isEmpty());
    assertTrue(store.readTasks().isEmpty());
    Protos.AgentInfo info = Protos.AgentInfo.newBuilder().setHostname("h")
        .setId(Protos.AgentID.newBuilder().setValue("a-1")).build();
    store.writeAgentInfo(Optional.of(info));
    store.writeTask(record("t1", 2));
    store.writeTask(record("t2", 0));
    AgentStore reopened = new AgentStore(work);
    assertEquals(info, reopened.readAgentInfo().orElseThrow());
    assertEquals(List.of(record("t1", 2), record("t2", 0)), reopened.readTasks());
    reopened.removeTask(record("t1", 0));
    assertEquals(List.of(record("t2", 0)), reopened.readTasks());
    reopened.writeAgentInfo(Optional.empty());
    assertTrue(reopened.readAgentInfo().isEmpty());
  }

  @Test
  void aCorruptRecordIsSkippedNotHalfRead() throws Exception {
    AgentStore store = new AgentStore(work);
    store.writeTask(record("t1", 1));
    store.writeTask(record("t2", 1));
    Path file = work.resolve("meta/tasks/fw-1/t1.record");
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x40;
    Files.write(file, bytes);
    Files.write(work.resolve("meta/tasks/fw-1/t3.record"), new byte[] {1, 2});
    assertEquals(List.of(record("t2", 1)), store.readTasks());
  }
}
