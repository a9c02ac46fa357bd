package io.cairn.agent.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.Protos.TaskStatus.Reason;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TaskLifecycleTest {
  private static TaskLifecycle running() {
    TaskLifecycle life = TaskLifecycle.staging();
    life.starting("t");
    life.running(42);
    return life;
  }

  @ParameterizedTest(name = "exit {0} without kill -> {1}")
  @CsvSource({"0, TASK_FINISHED", "1, TASK_FAILED", "127, TASK_FAILED", "137, TASK_FAILED"})
  void exitStatusDecidesTheTerminalState(int status, TaskState expected) {
    TaskLifecycle life = running();
    assertEquals(expected, life.exited(Optional.of(status)).state());
    assertTrue(life.isTerminal());
  }

  @ParameterizedTest(name = "exit {0} after a kill request is KILLED")
  @CsvSource({"0", "1", "143"})
  void aKillWinsOverTheExitStatus(int status) {
    TaskLifecycle life = running();
    assertTrue(life.requestKill());
    assertFalse(life.requestKill(), "a second kill must not signal again");
    assertEquals(TaskState.TASK_KILLED, life.exited(Optional.of(status)).state());
    assertFalse(life.requestKill(), "a terminal task cannot be killed");
  }

  @Test
  void messagesNameTheStatusAndSignal() {
    assertEquals("status 3", TaskLifecycle.describeStatus(3));
    assertEquals("status 127 (command not found)", TaskLifecycle.describeStatus(127));
    assertEquals("status 137 (128+9: signal 9)", TaskLifecycle.describeStatus(137));
    assertTrue(running().exited(Optional.empty()).message().contains("unknown status"));
  }

  @Test
  void launchFailureIsFailedWithLaunchReasonFromTheAgent() {
    TaskLifecycle life = TaskLifecycle.staging();
    life.starting("t");
    TaskTransition failed = life.launchFailed("no such file");
    assertEquals(TaskState.TASK_FAILED, failed.state());
    assertEquals(Optional.of(Reason.REASON_CONTAINER_LAUNCH_FAILED), failed.reason());
  }

  @Test
  void goneAtRecoveryIsFailedWithExecutorTerminated() {
    TaskTransition gone = TaskLifecycle.adopted().goneAtRecovery("pid 7 gone");
    assertEquals(TaskState.TASK_FAILED, gone.state());
    assertEquals(Optional.of(Reason.REASON_EXECUTOR_TERMINATED), gone.reason());
  }

  @Test
  void illegalTransitionsFailFast() {
    assertThrows(IllegalStateException.class, () -> TaskLifecycle.staging().running(1));
    assertThrows(IllegalStateException.class, () -> TaskLifecycle.staging().exited(Optional.of(0)));
    TaskLifecycle done = running();
    done.exited(Optional.of(0));
    assertThrows(IllegalStateException.class, () -> done.exited(Optional.of(0)));
    assertThrows(IllegalStateException.class, () -> TaskLifecycle.staging().requestKill());
  }
}
