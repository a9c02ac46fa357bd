package io.cairn.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.proto.mesos.v1.Protos.AgentInfo;
import io.cairn.proto.mesos.v1.Protos.CommandInfo;
import io.cairn.proto.mesos.v1.Protos.ContainerInfo;
import io.cairn.proto.mesos.v1.Protos.DrainConfig;
import io.cairn.proto.mesos.v1.Protos.Environment;
import io.cairn.proto.mesos.v1.Protos.Filters;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import io.cairn.proto.mesos.v1.Protos.HealthCheck;
import io.cairn.proto.mesos.v1.Protos.Image;
import io.cairn.proto.mesos.v1.Protos.LinuxInfo;
import io.cairn.proto.mesos.v1.Protos.MasterInfo;
import io.cairn.proto.mesos.v1.Protos.NetworkInfo;
import io.cairn.proto.mesos.v1.Protos.Resource;
import org.junit.jupiter.api.Test;

/**
 * proto2 defaults are part of the contract: a Mesos peer that leaves a field out means the default
 * written in Mesos's .proto file, so Cairn must read the same value.
 */
class MesosDefaultsTest {

  @Test
  void filtersRefuseFiveSecondsWhenUnset() {
    Filters filters = Filters.getDefaultInstance();

    assertFalse(filters.hasRefuseSeconds());
    assertEquals(5.0, filters.getRefuseSeconds());
  }

  @Test
  void frameworkInfoDefaultsToNoFailoverNoCheckpointAndTheStarRole() {
    FrameworkInfo info = FrameworkInfo.newBuilder().setUser("foo").setName("bar").build();

    assertEquals(0.0, info.getFailoverTimeout());
    assertFalse(info.getCheckpoint());
    assertEquals("*", info.getRole());
    assertFalse(info.hasFailoverTimeout(), "unset stays distinguishable from 0.0");
  }

  @Test
  void frameworkInfoWithoutUserIsNotInitialized() {
    assertFalse(FrameworkInfo.newBuilder().setName("bar").isInitialized());
  }

  @Test
  void healthCheckDefaultsMatchMesos() {
    HealthCheck check = HealthCheck.getDefaultInstance();

    assertEquals(15.0, check.getDelaySeconds());
    assertEquals(10.0, check.getIntervalSeconds());
    assertEquals(20.0, check.getTimeoutSeconds());
    assertEquals(3, check.getConsecutiveFailures());
    assertEquals(10.0, check.getGracePeriodSeconds());
    assertEquals(NetworkInfo.Protocol.IPv4, check.getHttp().getProtocol());
  }

  @Test
  void commandsRunThroughTheShellAndExtractArchivesByDefault() {
    assertTrue(CommandInfo.getDefaultInstance().getShell());
    assertTrue(CommandInfo.URI.getDefaultInstance().getExtract());
    assertEquals(
        Environment.Variable.Type.VALUE, Environment.Variable.getDefaultInstance().getType());
  }

  @Test
  void containerDefaultsMatchMesos() {
    ContainerInfo.DockerInfo docker = ContainerInfo.DockerInfo.getDefaultInstance();

    assertEquals(ContainerInfo.DockerInfo.Network.HOST, docker.getNetwork());
    assertFalse(docker.getPrivileged());
    assertFalse(docker.getForcePullImage());
    assertTrue(Image.getDefaultInstance().getCached());
    assertTrue(LinuxInfo.getDefaultInstance().getShareCgroups());
    assertEquals(ContainerInfo.Type.DOCKER, ContainerInfo.getDefaultInstance().getType());
  }

  @Test
  void endpointsAndRolesDefaultAsInMesos() {
    assertEquals(5050, MasterInfo.getDefaultInstance().getPort());
    assertEquals(5051, AgentInfo.getDefaultInstance().getPort());
    assertEquals("*", Resource.getDefaultInstance().getRole());
    assertFalse(DrainConfig.getDefaultInstance().getMarkGone());
  }
}
