package io.cairn.agent.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskEnvironmentTest {
  private static final TaskEnvironment.Context CONTEXT =
      new TaskEnvironment.Context("agent-9", "node.example", Path.of("/work/sb"), "/bin");

  @Test
  void portsFollowMarathonNames() {
    assertEquals(
        Map.of("PORT0", "31000", "PORT1", "31002", "PORT", "31000", "PORTS", "31000,31002"),
        TaskEnvironment.portVariables(List.of(31000, 31002)));
    assertEquals(Map.of(), TaskEnvironment.portVariables(List.of()));
  }

  @Test
  void taskEnvironmentOverridesHostAndPortsButNotMesosVariables() {
    LaunchSpec spec =
        LaunchSpec.commandTask(
                "t", "f", CommandSpec.shell("true"), new TaskResources(1, 32, List.of(5000)))
            .withEnvironment(Map.of("HOST", "own-host", "MESOS_SANDBOX", "/elsewhere", "X", "y"));
    Map<String, String> env = TaskEnvironment.build(spec, CONTEXT);
    assertEquals("own-host", env.get("HOST"));
    assertEquals("/work/sb", env.get("MESOS_SANDBOX"));
    assertEquals("y", env.get("X"));
    assertEquals("5000", env.get("PORT0"));
    assertEquals("agent-9", env.get("MESOS_AGENT_ID"));
    assertEquals("/bin", env.get("PATH"));
    assertFalse(env.containsKey("PORT1"));
  }

  @Test
  void idsThatAreNotOnePathSegmentAreRejected() {
    for (String bad : new String[] {"", ".", "..", "a/b"}) {
      assertThrows(
          IllegalArgumentException.class,
          () -> LaunchSpec.commandTask(bad, "f", CommandSpec.shell("true"), TaskResources.none()));
    }
  }
}
