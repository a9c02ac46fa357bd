package io.cairn.marathon.internal.core;

import io.cairn.marathon.internal.model.AppDefinition;
import io.cairn.marathon.internal.model.AppDefinition.Fetch;
import io.cairn.marathon.internal.model.AppDefinition.HealthCheckDef;
import io.cairn.marathon.internal.model.AppDefinition.PortMapping;
import io.cairn.proto.mesos.v1.Protos.AgentID;
import io.cairn.proto.mesos.v1.Protos.CommandInfo;
import io.cairn.proto.mesos.v1.Protos.ContainerInfo;
import io.cairn.proto.mesos.v1.Protos.Environment;
import io.cairn.proto.mesos.v1.Protos.HealthCheck;
import io.cairn.proto.mesos.v1.Protos.Image;
import io.cairn.proto.mesos.v1.Protos.Label;
import io.cairn.proto.mesos.v1.Protos.Labels;
import io.cairn.proto.mesos.v1.Protos.Parameter;
import io.cairn.proto.mesos.v1.Protos.Resource;
import io.cairn.proto.mesos.v1.Protos.TaskID;
import io.cairn.proto.mesos.v1.Protos.TaskInfo;
import io.cairn.proto.mesos.v1.Protos.Volume;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Builds the Mesos {@link TaskInfo} for an instance, as Marathon's {@code TaskBuilder} does: a
 * shell {@code CommandInfo} for {@code cmd} (or argv for {@code args}), fetch URIs, the
 * environment (PORT0.., PORT_NAME, MARATHON_APP_*), a {@code ContainerInfo} of type DOCKER (or
 * MESOS with a Docker image), labels, and the app's Mesos health check (MESOS_* or COMMAND) as
 * a Mesos {@link HealthCheck} on the assigned host port so the agent runs it. Pure.
 */
final class TaskFactory {
  private TaskFactory() {}

  static TaskInfo build(AppDefinition app, String taskId, String agentId,
      List<Resource> resources, List<Integer> hostPorts) {
    TaskInfo.Builder task = TaskInfo.newBuilder()
        .setName(taskName(app.id()))
        .setTaskId(TaskID.newBuilder().setValue(taskId))
        .setAgentId(AgentID.newBuilder().setValue(agentId))
        .addAllResources(resources)
        .setCommand(command(app, hostPorts));
    ContainerInfo container = container(app, hostPorts);
    if (container != null) {
      task.setContainer(container);
    }
    HealthCheckDef mesosCheck = app.mesosHealthCheck();
    if (mesosCheck != null) { // HTTP/HTTPS/TCP checks are probed by the leader, not the agent
      task.setHealthCheck(healthCheck(app, mesosCheck, hostPorts));
    }
    if (!app.labels().isEmpty()) {
      Labels.Builder labels = Labels.newBuilder();
      new TreeMap<>(app.labels()).forEach((k, v) ->
          labels.addLabels(Label.newBuilder().setKey(k).setValue(v)));
      task.setLabels(labels);
    }
    return task.build();
  }

  /** Marathon's task name: the app id's segments reversed and joined with dots. */
  static String taskName(String appId) {
    List<String> segments = new java.util.ArrayList<>(List.of(appId.substring(1).split("/")));
    java.util.Collections.reverse(segments);
    return String.join(".", segments);
  }

  private static CommandInfo command(AppDefinition app, List<Integer> hostPorts) {
    CommandInfo.Builder command = CommandInfo.newBuilder();
    if (app.cmd() != null) {
      command.setShell(true).setValue(app.cmd());
    } else if (app.args() != null) {
      command.setShell(false).addAllArguments(app.args());
      boolean docker = app.container() != null && app.container().type().equals("DOCKER");
      if (!docker && !app.args().isEmpty()) {
        command.setValue(app.args().get(0));
      }
    } else {
      command.setShell(false);
    }
    if (app.user() != null) {
      command.setUser(app.user());
    }
    for (Fetch fetch : app.fetch()) {
      CommandInfo.URI.Builder uri = CommandInfo.URI.newBuilder().setValue(fetch.uri())
          .setExtract(fetch.extract()).setExecutable(fetch.executable()).setCache(fetch.cache());
      if (fetch.destPath() != null) {
        uri.setOutputFile(fetch.destPath());
      }
      command.addUris(uri);
    }
    Environment.Builder env = Environment.newBuilder();
    environment(app, hostPorts).forEach((k, v) -> env.addVariables(
        Environment.Variable.newBuilder().setName(k).setValue(v)));
    return command.setEnvironment(env).build();
  }

  /** The variables Marathon sets (docs/task-environment-vars.md), then the app's own env. */
  static Map<String, String> environment(AppDefinition app, List<Integer> hostPorts) {
    Map<String, String> env = new TreeMap<>();
    for (int i = 0; i < hostPorts.size(); i++) {
      env.put("PORT" + i, Integer.toString(hostPorts.get(i)));
      String name = portName(app, i);
      if (name != null) {
        env.put("PORT_" + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_'),
            Integer.toString(hostPorts.get(i)));
      }
    }
    if (!hostPorts.isEmpty()) {
      env.put("PORT", Integer.toString(hostPorts.get(0)));
      env.put("PORTS", hostPorts.stream().map(String::valueOf).collect(Collectors.joining(",")));
    }
    env.put("MARATHON_APP_ID", app.id());
    env.put("MARATHON_APP_VERSION", app.version() == null ? "" : app.version());
    env.put("MARATHON_APP_RESOURCE_CPUS", Double.toString(app.cpus()));
    env.put("MARATHON_APP_RESOURCE_MEM", Double.toString(app.mem()));
    env.put("MARATHON_APP_RESOURCE_DISK", Double.toString(app.disk()));
    env.put("MARATHON_APP_RESOURCE_GPUS", Integer.toString(app.gpus()));
    if (app.container() != null && app.container().docker() != null) {
      env.put("MARATHON_APP_DOCKER_IMAGE", app.container().docker().image());
    }
    env.put("MARATHON_APP_LABELS", String.join(" ", new TreeMap<>(app.labels()).keySet()));
    app.labels().forEach((k, v) -> env.put("MARATHON_APP_LABEL_"
        + k.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9_]", "_"), v));
    env.putAll(app.env());
    return env;
  }

  private static String portName(AppDefinition app, int index) {
    if (app.hostNetworking()) {
      return index < app.portDefinitions().size() ? app.portDefinitions().get(index).name() : null;
    }
    List<PortMapping> mappings = app.container().portMappings();
    return index < mappings.size() ? mappings.get(index).name() : null;
  }

  private static ContainerInfo container(AppDefinition app, List<Integer> hostPorts) {
    if (app.container() == null) {
      return null;
    }
    ContainerInfo.Builder info = ContainerInfo.newBuilder();
    for (AppDefinition.Volume volume : app.container().volumes()) {
      Volume.Builder v = Volume.newBuilder().setContainerPath(volume.containerPath())
          .setMode(volume.mode().equals("RO") ? Volume.Mode.RO : Volume.Mode.RW);
      if (volume.hostPath() != null) {
        v.setHostPath(volume.hostPath());
      }
      info.addVolumes(v);
    }
    AppDefinition.Docker docker = app.container().docker();
    if (app.container().type().equals("MESOS")) {
      if (docker == null || docker.image().isEmpty()) {
        return info.getVolumesCount() == 0 ? null : info.setType(ContainerInfo.Type.MESOS).build();
      }
      return info.setType(ContainerInfo.Type.MESOS).setMesos(ContainerInfo.MesosInfo.newBuilder()
          .setImage(Image.newBuilder().setType(Image.Type.DOCKER)
              .setDocker(Image.Docker.newBuilder().setName(docker.image())))).build();
    }
    ContainerInfo.DockerInfo.Builder d = ContainerInfo.DockerInfo.newBuilder()
        .setImage(docker.image()).setPrivileged(docker.privileged())
        .setForcePullImage(docker.forcePullImage())
        .setNetwork(app.hostNetworking() ? ContainerInfo.DockerInfo.Network.HOST
            : ContainerInfo.DockerInfo.Network.BRIDGE);
    docker.parameters().forEach(p -> d.addParameters(Parameter.newBuilder().setKey(p.key())
        .setValue(p.value())));
    if (!app.hostNetworking()) {
      List<PortMapping> mappings = app.container().portMappings();
      for (int i = 0; i < mappings.size() && i < hostPorts.size(); i++) {
        PortMapping mapping = mappings.get(i);
        int containerPort = mapping.containerPort() == 0 ? hostPorts.get(i)
            : mapping.containerPort();
        d.addPortMappings(ContainerInfo.DockerInfo.PortMapping.newBuilder()
            .setHostPort(hostPorts.get(i)).setContainerPort(containerPort)
            .setProtocol(mapping.protocol()));
      }
    }
    return info.setType(ContainerInfo.Type.DOCKER).setDocker(d).build();
  }

  private static HealthCheck healthCheck(AppDefinition app, HealthCheckDef def,
      List<Integer> hostPorts) {
    HealthCheck.Builder check = HealthCheck.newBuilder()
        .setDelaySeconds(def.protocol().startsWith("MESOS_") ? def.delaySeconds() : 0)
        .setIntervalSeconds(def.intervalSeconds())
        .setTimeoutSeconds(def.timeoutSeconds())
        .setConsecutiveFailures(def.maxConsecutiveFailures())
        .setGracePeriodSeconds(def.gracePeriodSeconds());
    String protocol = def.protocol().replace("MESOS_", "");
    if (protocol.equals("COMMAND")) {
      return check.setType(HealthCheck.Type.COMMAND)
          .setCommand(CommandInfo.newBuilder().setShell(true).setValue(def.command())).build();
    }
    int port = def.port() != null ? def.port()
        : hostPorts.get(def.portIndex() == null ? 0 : def.portIndex());
    if (protocol.equals("TCP")) {
      return check.setType(HealthCheck.Type.TCP)
          .setTcp(HealthCheck.TCPCheckInfo.newBuilder().setPort(port)).build();
    }
    return check.setType(HealthCheck.Type.HTTP).setHttp(HealthCheck.HTTPCheckInfo.newBuilder()
        .setPort(port).setPath(def.path())
        .setScheme(protocol.equals("HTTPS") ? "https" : "http")).build();
  }
}
