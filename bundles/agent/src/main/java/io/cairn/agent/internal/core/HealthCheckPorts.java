package io.cairn.agent.internal.core;

import io.cairn.proto.mesos.v1.Protos.ContainerInfo;
import io.cairn.proto.mesos.v1.Protos.HealthCheck;
import io.cairn.proto.mesos.v1.Protos.TaskInfo;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The health check the agent probes from the host. Mesos probes a DOCKER task on a BRIDGE or USER
 * network inside the container's network namespace, so frameworks give the <em>container</em>
 * port (Marathon's MESOS_HTTP/MESOS_TCP checks do); Cairn probes from the host at 127.0.0.1, so
 * such a port is replaced by the host port it is mapped onto. A port that is already one of the
 * task's host ports, or a task without mappings, is left alone. Pure.
 */
public final class HealthCheckPorts {
  private HealthCheckPorts() {}

  /** The task's health check with container ports replaced by their mapped host ports. */
  public static HealthCheck onHost(TaskInfo task) {
    HealthCheck check = task.getHealthCheck();
    if (!task.hasContainer() || task.getContainer().getType() != ContainerInfo.Type.DOCKER) {
      return check;
    }
    Map<Integer, Integer> hostOf = new HashMap<>();
    Set<Integer> hostPorts = new HashSet<>();
    for (ContainerInfo.DockerInfo.PortMapping m :
        task.getContainer().getDocker().getPortMappingsList()) {
      hostOf.putIfAbsent(m.getContainerPort(), m.getHostPort());
      hostPorts.add(m.getHostPort());
    }
    for (var network : task.getContainer().getNetworkInfosList()) {
      for (var m : network.getPortMappingsList()) {
        hostOf.putIfAbsent(m.getContainerPort(), m.getHostPort());
        hostPorts.add(m.getHostPort());
      }
    }
    HealthCheck.Builder builder = check.toBuilder();
    if (check.hasHttp()) {
      int port = check.getHttp().getPort();
      if (!hostPorts.contains(port) && hostOf.containsKey(port)) {
        builder.getHttpBuilder().setPort(hostOf.get(port));
      }
    }
    if (check.hasTcp()) {
      int port = check.getTcp().getPort();
      if (!hostPorts.contains(port) && hostOf.containsKey(port)) {
        builder.getTcpBuilder().setPort(hostOf.get(port));
      }
    }
    return builder.build();
  }
}
