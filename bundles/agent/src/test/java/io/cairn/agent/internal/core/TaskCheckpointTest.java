package io.cairn.agent.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.proto.mesos.v1.Protos.TaskState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TaskCheckpointTest {
  private static final LaunchSpec SPEC =
      new LaunchSpec(
          "web.1",
          "fw",
          "web.1",
          CommandSpec.argv("/bin/sh", "-c", "echo 'a=b'\nline two \\ backslash"),
          Map.of("A", "1=2", "MULTI", "x\ny\r\\z"),
          new TaskResources(0.25, 128, List.of(31000, 31001)),
          Duration.ofMillis(1500));

  @Test
  void roundTripsEveryField() {
    TaskCheckpoint checkpoint =
        new TaskCheckpoint(SPEC, "cid", 1234, 987654, true, Optional.empty());
    assertEquals(checkpoint, TaskCheckpoint.decode(checkpoint.encode()));
    TaskCheckpoint terminal = checkpoint.terminal(TaskState.TASK_KILLED);
    assertEquals(terminal, TaskCheckpoint.decode(terminal.encode()));
    TaskCheckpoint shell =
        new TaskCheckpoint(SPEC.withEnvironment(Map.of()), "c", 1, -1, false, Optional.empty());
    assertEquals(shell, TaskCheckpoint.decode(shell.encode()));
  }

  @Test
  void manyArgumentsKeepTheirOrder() {
    String[] argv = new String[12];
    for (int i = 0; i < argv.length; i++) {
      argv[i] = "arg" + i;
    }
    LaunchSpec spec =
        new LaunchSpec(
            "t", "f", "t", CommandSpec.argv(argv), Map.of(), TaskResources.none(), Duration.ZERO);
    TaskCheckpoint checkpoint = new TaskCheckpoint(spec, "c", 1, 2, true, Optional.empty());
    assertEquals(checkpoint, TaskCheckpoint.decode(checkpoint.encode()));
  }

  @Test
  void aFlippedByteIsDetected() {
    byte[] bytes = new TaskCheckpoint(SPEC, "cid", 1234, 987654, true, Optional.empty()).encode();
    String text = new String(bytes, StandardCharsets.UTF_8).replace("pid=1234", "pid=1235");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TaskCheckpoint.decode(text.getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("crc32c mismatch"), e.getMessage());
  }

  @Test
  void aTornWriteIsDetected() {
    byte[] bytes = new TaskCheckpoint(SPEC, "cid", 1234, 987654, true, Optional.empty()).encode();
    byte[] torn = java.util.Arrays.copyOf(bytes, bytes.length / 2);
    assertThrows(IllegalArgumentException.class, () -> TaskCheckpoint.decode(torn));
  }
}
