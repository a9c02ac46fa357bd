package io.cairn.agent.internal.containerizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.agent.internal.core.CommandSpec;
import io.cairn.agent.internal.core.LaunchSpec;
import io.cairn.proto.mesos.v1.Protos;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskInfosTest {
  private static final Protos.FrameworkID FRAMEWORK =
      Protos.FrameworkID.newBuilder().setValue("marathon").build();

  private static Protos.TaskInfo.Builder task(Protos.CommandInfo.Builder command) {
    return Protos.TaskInfo.newBuilder()
        .setName("web")
        .setTaskId(Protos.TaskID.newBuilder().setValue("web.1"))
        .setAgentId(Protos.AgentID.newBuilder().setValue("agent-1"))
        .setCommand(command)
        .addResources(scalar("cpus", 0.5))
        .addResources(scalar("mem", 64))
        .addResources(
            Protos.Resource.newBuilder()
                .setName("ports")
                .setType(Protos.Value.Type.RANGES)
                .setRanges(
                    Protos.Value.Ranges.newBuilder()
                        .addRange(Protos.Value.Range.newBuilder().setBegin(31000).setEnd(31001))
                        .addRange(Protos.Value.Range.newBuilder().setBegin(31005).setEnd(31005))));
  }

  private static Protos.Resource scalar(String name, double value) {
    return Protos.Resource.newBuilder()
        .setName(name)
        .setType(Protos.Value.Type.SCALAR)
        .setScalar(Protos.Value.Scalar.newBuilder().setValue(value))
        .build();
  }

  @Test
  void shellCommandWithEnvironmentResourcesAndKillPolicy() {
    Protos.TaskInfo info =
        task(Protos.CommandInfo.newBuilder()
                .setValue("python3 -m http.server $PORT0")
                .setEnvironment(
                    Protos.Environment.newBuilder()
                        .addVariables(
                            Protos.Environment.Variable.newBuilder()
                                .setName("MARATHON_APP_ID")
                                .setValue("/web"))))
            .setKillPolicy(
                Protos.KillPolicy.newBuilder()
                    .setGracePeriod(
                        Protos.DurationInfo.newBuilder().setNanoseconds(5_000_000_000L)))
            .build();
    LaunchSpec spec = TaskInfos.toLaunchSpec(FRAMEWORK, info);
    assertEquals(CommandSpec.shell("python3 -m http.server $PORT0"), spec.command());
    assertEquals(Map.of("MARATHON_APP_ID", "/web"), spec.environment());
    assertEquals(List.of(31000, 31001, 31005), spec.resources().ports());
    assertEquals(0.5, spec.resources().cpus());
    assertEquals(64, spec.resources().memMb());
    assertEquals(Duration.ofSeconds(5), spec.killGracePeriod());
    assertEquals("web.1", spec.executorId());
  }

  @Test
  void argvCommandTakesValueAsProgramAndArgumentsAsArgv() {
    Protos.TaskInfo info =
        task(Protos.CommandInfo.newBuilder()
                .setShell(false)
                .setValue("/bin/echo")
                .addArguments("echo")
                .addArguments("hi"))
            .build();
    LaunchSpec spec = TaskInfos.toLaunchSpec(FRAMEWORK, info);
    assertEquals(CommandSpec.argv("/bin/echo", "hi"), spec.command());
    assertEquals(LaunchSpec.DEFAULT_KILL_GRACE_PERIOD, spec.killGracePeriod());
  }

  @Test
  void unsupportedFeaturesAreRejectedWithASentence() {
    Protos.TaskInfo docker =
        task(Protos.CommandInfo.newBuilder().setValue("true"))
            .setContainer(
                Protos.ContainerInfo.newBuilder().setType(Protos.ContainerInfo.Type.DOCKER))
            .build();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> TaskInfos.toLaunchSpec(FRAMEWORK, docker));
    assertTrue(e.getMessage().contains("DOCKER"), e.getMessage());
    Protos.TaskInfo fetch =
        task(Protos.CommandInfo.newBuilder()
                .setValue("true")
                .addUris(Protos.CommandInfo.URI.newBuilder().setValue("http://x/y.tgz")))
            .build();
    assertThrows(IllegalArgumentException.class, () -> TaskInfos.toLaunchSpec(FRAMEWORK, fetch));
  }
}
