package io.cairn.agent.internal.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.agent.internal.core.HealthCheckPorts;
import io.cairn.proto.mesos.v1.Protos;
import io.cairn.proto.mesos.v1.Protos.ContainerInfo;
import io.cairn.proto.mesos.v1.Protos.ContainerInfo.DockerInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** TaskInfo (DOCKER) → container spec, as Mesos's docker containerizer maps it. */
class DockerTaskInfosTest {
  private static final Protos.FrameworkID FRAMEWORK =
      Protos.FrameworkID.newBuilder().setValue("fw-1").build();
  private static final Path SANDBOX = Path.of("/work/frameworks/fw-1/executors/web/runs/c1");

  private static Protos.TaskInfo.Builder task(DockerInfo.Builder docker) {
    return Protos.TaskInfo.newBuilder().setName("web")
        .setTaskId(Protos.TaskID.newBuilder().setValue("web"))
        .setAgentId(Protos.AgentID.newBuilder().setValue("agent-1"))
        .addResources(scalar("cpus", 0.5)).addResources(scalar("mem", 64))
        .addResources(Protos.Resource.newBuilder().setName("ports")
            .setType(Protos.Value.Type.RANGES).setRanges(Protos.Value.Ranges.newBuilder()
                .addRange(Protos.Value.Range.newBuilder().setBegin(31000).setEnd(31001))))
        .setContainer(ContainerInfo.newBuilder().setType(ContainerInfo.Type.DOCKER)
            .setDocker(docker));
  }

  private static Protos.Resource scalar(String name, double value) {
    return Protos.Resource.newBuilder().setName(name).setType(Protos.Value.Type.SCALAR)
        .setScalar(Protos.Value.Scalar.newBuilder().setValue(value)).build();
  }

  private static ContainerSpec spec(Protos.TaskInfo task) {
    return DockerTaskInfos.containerSpec(DockerTaskInfos.toDockerTask(FRAMEWORK, task), "c1",
        "agent-1", "host-a", SANDBOX);
  }

  private static DockerInfo.Builder bridge() {
    return DockerInfo.newBuilder().setImage("busybox:1.36").setNetwork(DockerInfo.Network.BRIDGE)
        .addPortMappings(DockerInfo.PortMapping.newBuilder().setHostPort(31001)
            .setContainerPort(8080).setProtocol("tcp"));
  }

  @Test
  void shellCommandRunsThroughBinShAsTheEntrypoint() {
    ContainerSpec spec = spec(task(bridge()).setCommand(Protos.CommandInfo.newBuilder()
        .setShell(true).setValue("httpd -f -p 8080")).build());
    assertEquals(Optional.of(List.of("/bin/sh")), spec.entrypoint());
    assertEquals(List.of("-c", "httpd -f -p 8080"), spec.cmd());
    assertEquals("mesos-c1", spec.name());
    assertEquals("busybox:1.36", spec.image());
  }

  @Test
  void argsKeepTheImagesEntrypointAndNoCommandKeepsItsDefaults() {
    ContainerSpec args = spec(task(bridge()).setCommand(Protos.CommandInfo.newBuilder()
        .setShell(false).addArguments("-f").addArguments("-p").addArguments("8080")).build());
    assertEquals(Optional.empty(), args.entrypoint());
    assertEquals(List.of("-f", "-p", "8080"), args.cmd());
    ContainerSpec value = spec(task(bridge()).setCommand(Protos.CommandInfo.newBuilder()
        .setShell(false).setValue("httpd").addArguments("-f")).build());
    assertEquals(List.of("httpd", "-f"), value.cmd());
    ContainerSpec defaults = spec(task(bridge()).build());
    assertEquals(Optional.empty(), defaults.entrypoint());
    assertEquals(List.of(), defaults.cmd());
  }

  @Test
  void environmentIsTheProcessContainerizersWithTheSandboxMounted() {
    ContainerSpec spec = spec(task(bridge()).setCommand(Protos.CommandInfo.newBuilder()
        .setValue("true").setEnvironment(Protos.Environment.newBuilder().addVariables(
            Protos.Environment.Variable.newBuilder().setName("APP").setValue("x"))
            .addVariables(Protos.Environment.Variable.newBuilder().setName("MESOS_TASK_ID")
                .setValue("spoofed"))))
        .build());
    Map<String, String> env = spec.env();
    assertEquals("31000", env.get("PORT0"));
    assertEquals("31001", env.get("PORT1"));
    assertEquals("31000", env.get("PORT"));
    assertEquals("31000,31001", env.get("PORTS"));
    assertEquals("host-a", env.get("HOST"));
    assertEquals("x", env.get("APP"));
    assertEquals("web", env.get("MESOS_TASK_ID"), "the agent owns MESOS_*");
    assertEquals("fw-1", env.get("MESOS_FRAMEWORK_ID"));
    assertEquals("agent-1", env.get("MESOS_AGENT_ID"));
    assertEquals("/mnt/mesos/sandbox", env.get("MESOS_SANDBOX"));
    assertFalse(env.containsKey("PATH"), "the image's PATH applies: " + env);
    assertTrue(spec.binds().contains(new ContainerSpec.Bind(SANDBOX.toString(),
        "/mnt/mesos/sandbox", false)), spec.binds().toString());
  }

  @Test
  void labelsTieTheContainerToItsTask() {
    ContainerSpec spec = spec(task(bridge()).setLabels(Protos.Labels.newBuilder().addLabels(
        Protos.Label.newBuilder().setKey("team").setValue("ocf"))).build());
    assertEquals(Map.of("io.cairn.agent.id", "agent-1", "io.cairn.framework.id", "fw-1",
        "io.cairn.task.id", "web", "io.cairn.executor.id", "web", "io.cairn.container.id", "c1",
        "team", "ocf"), spec.labels());
    IllegalArgumentException reserved = assertThrows(IllegalArgumentException.class,
        () -> spec(task(bridge()).setLabels(Protos.Labels.newBuilder().addLabels(
            Protos.Label.newBuilder().setKey("io.cairn.task.id").setValue("other"))).build()));
    assertTrue(reserved.getMessage().contains("reserved"), reserved.getMessage());
  }

  @Test
  void limitsFollowMesos() {
    ContainerSpec spec = spec(task(bridge()).build());
    assertEquals(512, spec.cpuShares());
    assertEquals(50_000, spec.cpuQuotaMicros());
    assertEquals(64L * 1024 * 1024, spec.memoryBytes());
    Protos.TaskInfo tiny = task(bridge()).clearResources().addResources(scalar("cpus", 0.001))
        .addResources(scalar("mem", 4)).addResources(task(bridge()).getResources(2)).build();
    ContainerSpec small = spec(tiny);
    assertEquals(2, small.cpuShares(), "at least Mesos's MIN_CPU_SHARES");
    assertEquals(1000, small.cpuQuotaMicros(), "at least 1 ms");
    assertEquals(32L * 1024 * 1024, small.memoryBytes(), "at least Mesos's 32 MB");
  }

  @Test
  void networksAndPortMappings() {
    ContainerSpec spec = spec(task(bridge()).build());
    assertEquals("bridge", spec.networkMode());
    assertEquals(List.of(new ContainerSpec.PortBinding(31001, 8080, "tcp")), spec.ports());
    ContainerSpec both = spec(task(DockerInfo.newBuilder().setImage("i")
        .setNetwork(DockerInfo.Network.BRIDGE).addPortMappings(DockerInfo.PortMapping
            .newBuilder().setHostPort(31000).setContainerPort(53).setProtocol("udp,tcp")))
        .build());
    assertEquals(List.of(new ContainerSpec.PortBinding(31000, 53, "udp"),
        new ContainerSpec.PortBinding(31000, 53, "tcp")), both.ports());
    assertEquals("host", spec(task(DockerInfo.newBuilder().setImage("i")).build())
        .networkMode(), "HOST is the default, as in Mesos");
    assertEquals("none", spec(task(DockerInfo.newBuilder().setImage("i")
        .setNetwork(DockerInfo.Network.NONE)).build()).networkMode());
    Protos.TaskInfo.Builder user = task(DockerInfo.newBuilder().setImage("i")
        .setNetwork(DockerInfo.Network.USER));
    user.getContainerBuilder().addNetworkInfos(Protos.NetworkInfo.newBuilder().setName("ocf")
        .addPortMappings(Protos.NetworkInfo.PortMapping.newBuilder().setHostPort(31000)
            .setContainerPort(80)));
    ContainerSpec onUser = spec(user.build());
    assertEquals("ocf", onUser.networkMode());
    assertEquals(List.of(new ContainerSpec.PortBinding(31000, 80, "tcp")), onUser.ports());
  }

  @Test
  void aMappingOntoAPortTheTaskWasNotOfferedIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> spec(task(DockerInfo.newBuilder().setImage("i")
            .setNetwork(DockerInfo.Network.BRIDGE).addPortMappings(DockerInfo.PortMapping
                .newBuilder().setHostPort(80).setContainerPort(80))).build()));
    assertTrue(e.getMessage().contains("host port 80") && e.getMessage().contains("[31000, 31001]"),
        e.getMessage());
    IllegalArgumentException host = assertThrows(IllegalArgumentException.class,
        () -> spec(task(DockerInfo.newBuilder().setImage("i")
            .addPortMappings(DockerInfo.PortMapping.newBuilder().setHostPort(31000)
                .setContainerPort(80))).build()));
    assertTrue(host.getMessage().contains("BRIDGE or USER"), host.getMessage());
  }

  @Test
  void volumesAreBindMountsRelativeToTheSandbox() {
    Protos.TaskInfo.Builder t = task(bridge());
    t.getContainerBuilder().addVolumes(Protos.Volume.newBuilder().setContainerPath("/data")
        .setHostPath("/srv/data").setMode(Protos.Volume.Mode.RO))
        .addVolumes(Protos.Volume.newBuilder().setContainerPath("/cache").setHostPath("cache")
            .setMode(Protos.Volume.Mode.RW));
    ContainerSpec spec = spec(t.build());
    assertTrue(spec.binds().contains(new ContainerSpec.Bind("/srv/data", "/data", true)));
    assertTrue(spec.binds().contains(new ContainerSpec.Bind(SANDBOX + "/cache", "/cache",
        false)), spec.binds().toString());
    Protos.TaskInfo.Builder escape = task(bridge());
    escape.getContainerBuilder().addVolumes(Protos.Volume.newBuilder().setContainerPath("/x")
        .setHostPath("../../other").setMode(Protos.Volume.Mode.RW));
    assertThrows(IllegalArgumentException.class, () -> spec(escape.build()));
    Protos.TaskInfo.Builder noHost = task(bridge());
    noHost.getContainerBuilder().addVolumes(Protos.Volume.newBuilder().setContainerPath("/x")
        .setMode(Protos.Volume.Mode.RW));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> spec(noHost.build()));
    assertTrue(e.getMessage().contains("no host path"), e.getMessage());
  }

  @Test
  void parametersMarathonAllowsAreMappedOthersRejected() {
    DockerInfo.Builder docker = bridge().setPrivileged(true).setForcePullImage(true);
    for (String[] p : new String[][] {{"user", "nobody"}, {"workdir", "/tmp"},
        {"label", "tier=web"}, {"env", "EXTRA=1"}, {"add-host", "db:10.0.0.2"},
        {"cap-add", "NET_ADMIN"}, {"pids-limit", "50"}, {"read-only", "true"},
        {"shm-size", "64m"}, {"hostname", "web-1"}}) {
      docker.addParameters(Protos.Parameter.newBuilder().setKey(p[0]).setValue(p[1]));
    }
    ContainerSpec spec = spec(task(docker).build());
    assertTrue(spec.privileged());
    assertTrue(spec.forcePull());
    assertEquals(Optional.of("nobody"), spec.options().user());
    assertEquals(Optional.of("/tmp"), spec.options().workdir());
    assertEquals(Optional.of("web-1"), spec.options().hostname());
    assertEquals("web", spec.labels().get("tier"));
    assertEquals("1", spec.env().get("EXTRA"));
    assertEquals(List.of("db:10.0.0.2"), spec.options().extraHosts());
    assertEquals(List.of("NET_ADMIN"), spec.options().capAdd());
    assertEquals(Optional.of(50L), spec.options().pidsLimit());
    assertTrue(spec.options().readOnlyRootfs());
    assertEquals(Optional.of(64L * 1024 * 1024), spec.options().shmSizeBytes());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> spec(task(bridge().addParameters(Protos.Parameter.newBuilder()
            .setKey("volumes-from").setValue("other"))).build()));
    assertTrue(e.getMessage().contains("'volumes-from' is not supported")
        && e.getMessage().contains("supported: ["), e.getMessage());
  }

  @Test
  void badTasksAreRejectedWithASentence() {
    IllegalArgumentException noImage = assertThrows(IllegalArgumentException.class,
        () -> spec(task(DockerInfo.newBuilder().setImage(" ")).build()));
    assertTrue(noImage.getMessage().contains("without docker.image"), noImage.getMessage());
    IllegalArgumentException secret = assertThrows(IllegalArgumentException.class,
        () -> spec(task(bridge()).setCommand(Protos.CommandInfo.newBuilder().setValue("x")
            .setEnvironment(Protos.Environment.newBuilder().addVariables(
                Protos.Environment.Variable.newBuilder().setName("S")
                    .setType(Protos.Environment.Variable.Type.SECRET)))).build()));
    assertTrue(secret.getMessage().contains("secret"), secret.getMessage());
  }

  @Test
  void killGracePeriodComesFromTheKillPolicy() {
    DockerTask docker = DockerTaskInfos.toDockerTask(FRAMEWORK, task(bridge())
        .setKillPolicy(Protos.KillPolicy.newBuilder().setGracePeriod(
            Protos.DurationInfo.newBuilder().setNanoseconds(7_000_000_000L))).build());
    assertEquals(java.time.Duration.ofSeconds(7), docker.spec().killGracePeriod());
  }

  @Test
  void healthChecksOnContainerPortsProbeTheMappedHostPort() {
    Protos.TaskInfo withCheck = task(bridge()).setHealthCheck(Protos.HealthCheck.newBuilder()
        .setType(Protos.HealthCheck.Type.HTTP).setHttp(Protos.HealthCheck.HTTPCheckInfo
            .newBuilder().setPort(8080).setPath("/"))).build();
    assertEquals(31001, HealthCheckPorts.onHost(withCheck).getHttp().getPort());
    Protos.TaskInfo onHostPort = withCheck.toBuilder().setHealthCheck(withCheck.getHealthCheck()
        .toBuilder().setHttp(withCheck.getHealthCheck().getHttp().toBuilder().setPort(31001)))
        .build();
    assertEquals(31001, HealthCheckPorts.onHost(onHostPort).getHttp().getPort());
  }

  @Test
  void theEnginesReasonIsTakenFromItsJsonBody() {
    assertEquals("Get \"https://registry-1.docker.io/v2/\": dial tcp: no such host",
        DockerJavaEngine.firstLine("Status 500: {\"message\":\"Get \\\"https://registry-1"
            + ".docker.io/v2/\\\": dial tcp: no such host\"}\n"));
    assertEquals("plain", DockerJavaEngine.firstLine("plain\nmore"));
  }

  @Test
  void imageReferencesDefaultToLatest() {
    assertEquals(new DockerJavaEngine.ImageReference("busybox", "latest"),
        DockerJavaEngine.ImageReference.parse("busybox"));
    assertEquals(new DockerJavaEngine.ImageReference("localhost:5000/a/b", "1.2"),
        DockerJavaEngine.ImageReference.parse("localhost:5000/a/b:1.2"));
    assertEquals(new DockerJavaEngine.ImageReference("localhost:5000/a", "latest"),
        DockerJavaEngine.ImageReference.parse("localhost:5000/a"));
  }
}
