package io.cairn.agent.internal.containerizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cairn.agent.internal.core.CommandSpec;
import io.cairn.agent.internal.core.LaunchSpec;
import io.cairn.agent.internal.core.RLimit;
import io.cairn.agent.internal.core.TaskCheckpoint;
import io.cairn.agent.internal.core.TaskResources;
import io.cairn.proto.mesos.v1.Protos;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resource limits of process tasks: rlimits applied to real child processes through prlimit,
 * the detection of cgroup v2 delegation over fake cgroup trees (this machine's cgroup v2 is not
 * writable, so a real cgroup is not exercised here), the cgroup files a task would get, and
 * rlimit_info parsing and checkpointing.
 */
class IsolationTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Path PRLIMIT = Path.of("/usr/bin/prlimit");

  @TempDir Path work;
  @TempDir Path cgroupRoot;
  private final RecordingListener listener = new RecordingListener();
  private final List<ProcessContainerizer> containerizers = new ArrayList<>();

  @AfterEach
  void close() {
    containerizers.forEach(ProcessContainerizer::close);
  }

  @Test
  void aTaskWithNofileSoft64SeesUlimit64AndItsHardLimit() throws Exception {
    assumeTrue(Files.isExecutable(PRLIMIT), "util-linux prlimit is needed");
    ProcessContainerizer containerizer = containerizer(Isolation.rlimitsOnly(Optional.of(PRLIMIT)));
    LaunchSpec spec =
        LaunchSpec.commandTask(
                "limited",
                "fw-1",
                CommandSpec.shell("ulimit -n; ulimit -H -n; ulimit -c"),
                TaskResources.none())
            .withRLimits(List.of(RLimit.of("NOFILE", 64, 128), RLimit.of("CORE", 0, 0)));
    LaunchedTask launched = containerizer.launch(spec).get(5, TimeUnit.SECONDS);
    assertEquals(TaskState.TASK_FINISHED, listener.awaitTerminal("limited", TIMEOUT).state());
    assertEquals(
        List.of("64", "128", "0"), Files.readAllLines(launched.sandbox().resolve("stdout")));
  }

  @Test
  void anArgvTaskGetsItsLimitsToo() throws Exception {
    assumeTrue(Files.isExecutable(PRLIMIT), "util-linux prlimit is needed");
    ProcessContainerizer containerizer = containerizer(Isolation.rlimitsOnly(Optional.of(PRLIMIT)));
    LaunchSpec spec =
        LaunchSpec.commandTask(
                "argv",
                "fw-1",
                CommandSpec.argv("/bin/sh", "-c", "ulimit -s"),
                TaskResources.none())
            .withRLimits(List.of(RLimit.of("STACK", 1024 * 1024, 1024 * 1024)));
    LaunchedTask launched = containerizer.launch(spec).get(5, TimeUnit.SECONDS);
    assertEquals(TaskState.TASK_FINISHED, listener.awaitTerminal("argv", TIMEOUT).state());
    assertEquals(List.of("1024"), Files.readAllLines(launched.sandbox().resolve("stdout")),
        "ulimit -s shows KiB");
  }

  @Test
  void aHardLimitAboveTheAgentsOwnFailsTheTaskWithPrlimitsSentence() throws Exception {
    assumeTrue(Files.isExecutable(PRLIMIT), "util-linux prlimit is needed");
    String hard = run("ulimit -H -n");
    assumeTrue(!hard.equals("unlimited") && !isRoot(), "only an unprivileged agent is capped");
    long agentHard = Long.parseLong(hard);
    ProcessContainerizer containerizer = containerizer(Isolation.rlimitsOnly(Optional.of(PRLIMIT)));
    LaunchSpec spec =
        LaunchSpec.commandTask("greedy", "fw-1", CommandSpec.shell("true"), TaskResources.none())
            .withRLimits(List.of(RLimit.of("NOFILE", agentHard * 2, agentHard * 2)));
    LaunchedTask launched = containerizer.launch(spec).get(5, TimeUnit.SECONDS);
    assertEquals(TaskState.TASK_FAILED, listener.awaitTerminal("greedy", TIMEOUT).state());
    assertTrue(Files.readString(launched.sandbox().resolve("stderr")).contains("prlimit"));
  }

  @Test
  void rlimitsWithoutPrlimitFailTheLaunchWithASentence() throws Exception {
    ProcessContainerizer containerizer = containerizer(Isolation.rlimitsOnly(Optional.empty()));
    LaunchSpec spec =
        LaunchSpec.commandTask("nolimit", "fw-1", CommandSpec.shell("true"), TaskResources.none())
            .withRLimits(List.of(RLimit.of("NOFILE", 64, 64)));
    containerizer.launch(spec).get(5, TimeUnit.SECONDS);
    TaskStatusUpdate last = listener.awaitTerminal("nolimit", TIMEOUT);
    assertEquals(TaskState.TASK_FAILED, last.state());
    assertEquals(
        "Cannot start task 'nolimit': the task asks for rlimits [NOFILE=64:64] but this host has"
            + " no prlimit (util-linux) to apply them",
        last.transition().message());
  }

  @Test
  void theDetectedIsolationSaysWhatIsNotEnforced() {
    Isolation detected = Isolation.detect();
    if (detected.mode() == Isolation.Mode.RLIMITS) {
      assertTrue(detected.describe().contains("mem and cpus are not enforced"),
          detected.describe());
    }
    assertEquals(
        Files.isExecutable(PRLIMIT) && detected.mode() == Isolation.Mode.RLIMITS,
        detected.isolationFlag().equals("posix/rlimits"), detected.isolationFlag());
  }

  @Test
  void cgroupsV2NeedTheUnifiedHierarchyAWritableOwnCgroupAndCpuAndMemoryDelegated()
      throws Exception {
    Path self = work.resolve("self-cgroup");
    Files.writeString(self, "0::/agent.slice/cairn\n");
    Path own = cgroupRoot.resolve("agent.slice/cairn");

    assertEquals(Isolation.Mode.RLIMITS, Isolation.detect(cgroupRoot, self, Optional.empty()).mode());
    assertTrue(Isolation.detect(cgroupRoot, self, Optional.empty()).describe()
        .contains("no cgroup v2 (unified) hierarchy"));

    Files.writeString(cgroupRoot.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
    Files.createDirectories(own);
    Files.writeString(own.resolve("cgroup.subtree_control"), "memory pids\n");
    Isolation noCpu = Isolation.detect(cgroupRoot, self, Optional.empty());
    assertEquals(Isolation.Mode.RLIMITS, noCpu.mode());
    assertTrue(noCpu.describe().contains("does not enable cpu and memory"), noCpu.describe());

    Files.writeString(own.resolve("cgroup.subtree_control"), "cpu memory pids\n");
    Isolation v2 = Isolation.detect(cgroupRoot, self, Optional.of(PRLIMIT));
    assertEquals(Isolation.Mode.CGROUPS_V2, v2.mode());
    assertEquals("cgroups/cpu,cgroups/mem,posix/rlimits", v2.isolationFlag());

    // The hybrid layout (v1 controllers, v2 under unified/) as on this machine: only hugetlb.
    Path hybrid = work.resolve("hybrid");
    Files.createDirectories(hybrid.resolve("unified"));
    Files.writeString(hybrid.resolve("unified/cgroup.controllers"), "hugetlb\n");
    Files.writeString(hybrid.resolve("unified/cgroup.subtree_control"), "");
    Files.writeString(self, "0::/\n");
    Isolation hugetlbOnly = Isolation.detect(hybrid, self, Optional.empty());
    assertEquals(Isolation.Mode.RLIMITS, hugetlbOnly.mode());
    assertTrue(hugetlbOnly.describe().contains(hybrid.resolve("unified")
        + " does not enable cpu and memory"), hugetlbOnly.describe());

    Files.writeString(self, "1:cpu:/\n");
    assertTrue(Isolation.detect(cgroupRoot, self, Optional.empty()).describe()
        .contains("no '0::' line"));
  }

  @Test
  void inCgroupModeATaskGetsItsOwnLimitedCgroupAndMovesItselfIn() throws Exception {
    Path self = work.resolve("self-cgroup");
    Files.writeString(self, "0::/\n");
    Files.writeString(cgroupRoot.resolve("cgroup.controllers"), "cpu memory\n");
    Files.writeString(cgroupRoot.resolve("cgroup.subtree_control"), "cpu memory\n");
    Isolation v2 = Isolation.detect(cgroupRoot, self, Optional.of(PRLIMIT));
    assertEquals(Isolation.Mode.CGROUPS_V2, v2.mode());

    List<String> argv =
        v2.wrap("c1", new TaskResources(1.5, 256, List.of()),
            List.of(RLimit.of("NOFILE", 64, 64)), List.of("/bin/sh", "-c", "sleep 1"));
    Path cgroup = cgroupRoot.resolve("cairn-c1");
    assertEquals("268435456", Files.readString(cgroup.resolve("memory.max")));
    assertEquals("150000 100000", Files.readString(cgroup.resolve("cpu.max")));
    assertEquals(
        List.of("/bin/sh", "-c", "echo $$ > \"$0\" && exec \"$@\"",
            cgroup.resolve("cgroup.procs").toString(), PRLIMIT.toString(), "--nofile=64:64",
            "--", "/bin/sh", "-c", "sleep 1"),
        argv);

    // The same wrapper, run for real against the fake tree: the pid lands in cgroup.procs and
    // the command still runs with its arguments.
    Process p = new ProcessBuilder(v2.wrap("c2", TaskResources.none(), List.of(),
        List.of("/bin/sh", "-c", "echo ran $0 $1", "a", "b"))).start();
    assertTrue(p.waitFor(5, TimeUnit.SECONDS));
    assertEquals("ran a b", new String(p.getInputStream().readAllBytes()).trim());
    assertEquals(Long.toString(p.pid()),
        Files.readString(cgroupRoot.resolve("cairn-c2/cgroup.procs")).trim());
    assertEquals("max", Files.readString(cgroupRoot.resolve("cairn-c2/memory.max")));
    assertEquals("max 100000", Files.readString(cgroupRoot.resolve("cairn-c2/cpu.max")));
  }

  @Test
  void cpuAndMemoryValues() {
    assertEquals("1000 100000", Isolation.cpuMax(0.001), "the kernel's smallest quota is 1 ms");
    assertEquals("200000 100000", Isolation.cpuMax(2));
    assertEquals("1048576", Isolation.memoryMax(1));
  }

  @Test
  void rlimitInfoIsParsedAndBadOnesAreNamed() {
    Protos.RLimitInfo info = Protos.RLimitInfo.newBuilder()
        .addRlimits(Protos.RLimitInfo.RLimit.newBuilder()
            .setType(Protos.RLimitInfo.RLimit.Type.RLMT_NOFILE).setSoft(64).setHard(128))
        .addRlimits(Protos.RLimitInfo.RLimit.newBuilder()
            .setType(Protos.RLimitInfo.RLimit.Type.RLMT_CORE))
        .build();
    assertEquals(List.of(RLimit.of("NOFILE", 64, 128), RLimit.unlimited("CORE")),
        TaskInfos.rlimits("t", info));
    assertEquals("--core=unlimited:unlimited", RLimit.unlimited("CORE").prlimitOption());

    IllegalArgumentException half = assertThrows(IllegalArgumentException.class,
        () -> TaskInfos.rlimits("t", Protos.RLimitInfo.newBuilder().addRlimits(
            Protos.RLimitInfo.RLimit.newBuilder()
                .setType(Protos.RLimitInfo.RLimit.Type.RLMT_NOFILE).setSoft(64)).build()));
    assertEquals("task 't': rlimit NOFILE: soft and hard must both be set or both be unset "
        + "(unlimited), got soft=64 hard=unlimited", half.getMessage());
    IllegalArgumentException inverted = assertThrows(IllegalArgumentException.class,
        () -> RLimit.of("NOFILE", 10, 5));
    assertEquals("rlimit NOFILE: soft 10 exceeds hard 5", inverted.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TaskInfos.rlimits("t",
        Protos.RLimitInfo.newBuilder().addRlimits(Protos.RLimitInfo.RLimit.newBuilder()
            .setSoft(1).setHard(1)).build()));
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
        () -> LaunchSpec.commandTask("t", "f", CommandSpec.shell("true"), TaskResources.none())
            .withRLimits(List.of(RLimit.of("NOFILE", 1, 1), RLimit.of("NOFILE", 2, 2))));
    assertTrue(twice.getMessage().contains("name a resource twice"), twice.getMessage());
  }

  @Test
  void aTaskInfoWithRlimitInfoBecomesASpecWithLimitsAndSurvivesTheCheckpoint() {
    Protos.TaskInfo task = Protos.TaskInfo.newBuilder().setName("t")
        .setTaskId(Protos.TaskID.newBuilder().setValue("t1"))
        .setAgentId(Protos.AgentID.newBuilder().setValue("a"))
        .setCommand(Protos.CommandInfo.newBuilder().setValue("true"))
        .setContainer(Protos.ContainerInfo.newBuilder().setType(Protos.ContainerInfo.Type.MESOS)
            .setRlimitInfo(Protos.RLimitInfo.newBuilder().addRlimits(
                Protos.RLimitInfo.RLimit.newBuilder()
                    .setType(Protos.RLimitInfo.RLimit.Type.RLMT_NPROC).setSoft(10).setHard(20))))
        .build();
    LaunchSpec spec =
        TaskInfos.toLaunchSpec(Protos.FrameworkID.newBuilder().setValue("fw").build(), task);
    assertEquals(List.of(RLimit.of("NPROC", 10, 20)), spec.rlimits());
    TaskCheckpoint checkpoint = new TaskCheckpoint(spec, "c", 1, 2, true, Optional.empty());
    assertEquals(checkpoint, TaskCheckpoint.decode(checkpoint.encode()));
  }

  private ProcessContainerizer containerizer(Isolation isolation) {
    ContainerizerConfig detected = ContainerizerConfig.detect(work, "agent-1", "host-1");
    ProcessContainerizer created = new ProcessContainerizer(
        new ContainerizerConfig(work, "agent-1", "host-1", detected.setsid(), detected.kill(),
            ContainerizerConfig.DEFAULT_PATH, Clock.systemUTC(), isolation), listener);
    containerizers.add(created);
    return created;
  }

  private static String run(String shell) throws Exception {
    Process p = new ProcessBuilder("/bin/sh", "-c", shell).start();
    assertTrue(p.waitFor(5, TimeUnit.SECONDS));
    return new String(p.getInputStream().readAllBytes()).trim();
  }

  private static boolean isRoot() throws Exception {
    return run("id -u").equals("0");
  }
}
