package io.cairn.agent.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.agent.internal.core.MesosText;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentSettingsTest {
  private static final Path DATA = Path.of("/var/cairn");
  private static final HostFacts HOST = new HostFacts(4, 16384, 100_000, "node-a");

  @Test
  void defaultsAreDetected() {
    AgentSettings settings = AgentSettings.from(Map.of(), DATA, dir -> HOST);
    assertEquals(DATA.resolve("agent"), settings.workDir());
    assertEquals("node-a", settings.hostname());
    assertEquals(5051, settings.httpPort());
    assertEquals("127.0.0.1", settings.masters().masters().get(0).getHostString());
    assertEquals(5050, settings.masters().masters().get(0).getPort());
    // Memory keeps 1 GB for the host, disk 5 GB (Mesos's reserves).
    assertEquals(
        "cpus:4;mem:15360;disk:94880;ports:[31000-32000]",
        MesosText.format(settings.resources()));
  }

  @Test
  void defaultPortsMoveWithTheNodesShift() {
    AgentSettings settings = AgentSettings.from(Map.of(), DATA, 10_010, dir -> HOST);
    assertEquals(15_061, settings.httpPort());
    assertEquals(15_060, settings.masters().masters().get(0).getPort());
  }

  @Test
  void zkMastersAreParsed() {
    AgentSettings settings =
        AgentSettings.from(Map.of("master", "zk://z1:2181,z2:2182/mesos/"), DATA, dir -> HOST);
    MasterAddresses.ZkUrl zk = settings.masters().zk().orElseThrow();
    assertEquals("/mesos", zk.path());
    assertEquals(2, zk.servers().size());
    assertEquals(2182, zk.servers().get(1).getPort());
    assertTrue(settings.masters().masters().isEmpty());
  }

  @Test
  void smallMachinesKeepHalf() {
    HostFacts small = new HostFacts(1, 1024, 4096, "tiny");
    AgentSettings settings = AgentSettings.from(Map.of(), DATA, dir -> small);
    assertEquals("cpus:1;mem:512;disk:2048;ports:[31000-32000]", MesosText.format(settings.resources()));
  }

  @Test
  void configuredValuesWin() {
    AgentSettings settings =
        AgentSettings.from(
            Map.of(
                "master", "m1:5050, m2:5050",
                "resources", "cpus:10;mem:200000;disk:500000;ports:[31000-32000]",
                "attributes", "nfs:true;rack:a",
                "work_dir", "/tmp/w",
                "hostname", "h1",
                "http.port", "0"),
            DATA,
            dir -> HOST);
    assertEquals(2, settings.masters().masters().size());
    assertEquals("cpus:10;mem:200000;disk:500000;ports:[31000-32000]", MesosText.format(settings.resources()));
    assertEquals(2, settings.attributes().size());
    assertEquals(Path.of("/tmp/w"), settings.workDir());
    assertEquals(0, settings.httpPort());
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "master     | m1",
        "master     | m1:70000",
        "master     | m1:x",
        "master     | zk://h:2181",
        "master     | zk://h/mesos",
        "resources  | cpus:ten",
        "attributes | rack:{a}",
        "work_dir   | relative/dir",
        "hostname   | bad host",
        "http.port  | 99999",
        "http.port  | port",
        "containerizers | docker",
        "containerizers | mesos,rkt",
        "docker_socket | relative.sock",
        "docker_socket | http://host"
      })
  void badValuesAreOneSentence(String key, String value) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> AgentSettings.from(Map.of(key, value), DATA, dir -> HOST));
    assertTrue(e.getMessage().startsWith("io.cairn.agent: " + key + "='" + value + "'"), e.getMessage());
  }

  @Test
  void dockerIsAllowedByDefaultOnMesossDefaultSocket() {
    AgentSettings settings = AgentSettings.from(Map.of(), DATA, dir -> HOST);
    assertEquals(java.util.List.of("mesos", "docker"), settings.containerizers());
    assertTrue(settings.dockerAllowed());
    assertEquals("unix:///var/run/docker.sock", settings.dockerSocket());
    AgentSettings mesosOnly = AgentSettings.from(
        Map.of("containerizers", "mesos", "docker_socket", "/run/podman.sock"), DATA, dir -> HOST);
    assertFalse(mesosOnly.dockerAllowed());
    assertEquals("unix:///run/podman.sock", mesosOnly.dockerSocket());
  }
}
