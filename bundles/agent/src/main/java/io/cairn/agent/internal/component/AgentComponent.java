package io.cairn.agent.internal.component;

import io.cairn.agent.internal.config.AgentSettings;
import io.cairn.agent.internal.config.HostFacts;
import io.cairn.agent.internal.http.AgentHttpServer;
import io.cairn.agent.internal.runtime.AgentOperations;
import io.cairn.agent.internal.runtime.AgentRuntime;
import io.cairn.env.Endpoint;
import io.cairn.env.NodeInfo;
import io.cairn.env.Role;
import java.io.IOException;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the agent into the node when it has the agent role: validates PID {@code io.cairn.agent},
 * starts the {@link AgentRuntime} (recovery from the work dir, then the master connection), the
 * HTTP endpoint, and publishes {@code Endpoint("agent", host:port)} once it listens (promised by
 * the bundle's {@code Cairn-Endpoints: agent} header) and {@link AgentOperations} for the shell.
 *
 * <p>Threading: DS calls activate/deactivate on any thread; the runtime and the HTTP server own
 * their threads. Deactivate releases in reverse order: services, HTTP, runtime (tasks keep
 * running; a new activation recovers them).
 */
@Component(configurationPid = AgentSettings.PID, immediate = true, service = {})
@Designate(ocd = AgentComponent.Config.class)
public final class AgentComponent {
  private static final Logger LOG = LoggerFactory.getLogger(AgentComponent.class);

  /** Settings of PID io.cairn.agent (see etc/io.cairn.agent.cfg). */
  @ObjectClassDefinition(name = "Cairn agent")
  public @interface Config {
    @AttributeDefinition(name = "master",
        description = "Masters as host:port[,host:port]; non-leaders redirect to the leader")
    String master() default "127.0.0.1:5050";

    @AttributeDefinition(name = "resources",
        description = "Mesos syntax, e.g. cpus:10;mem:200000;disk:500000;ports:[31000-32000];"
            + " absent resources are detected (mem and disk in MB)")
    String resources() default "";

    @AttributeDefinition(name = "attributes", description = "Mesos syntax, e.g. nfs:true;rack:a")
    String attributes() default "";

    @AttributeDefinition(name = "work_dir",
        description = "Absolute path of sandboxes and checkpoints; default <data dir>/agent")
    String work__dir() default "";

    @AttributeDefinition(name = "hostname", description = "Name given to the master and tasks")
    String hostname() default "";

    @AttributeDefinition(name = "http.port",
        description = "Agent HTTP port, 0..65535; default 5051 shifted like the node's Raft port")
    int http_port() default 5051;
  }

  private AgentRuntime runtime;
  private AgentHttpServer http;
  private ServiceRegistration<AgentOperations> operations;
  private ServiceRegistration<Endpoint> endpoint;

  @Activate
  public AgentComponent(BundleContext context, Map<String, Object> properties,
      @Reference NodeInfo node) throws IOException {
    if (!node.hasRole(Role.AGENT)) {
      LOG.info("node={} has no agent role; no agent runs here", node.nodeId());
      return;
    }
    AgentSettings settings =
        AgentSettings.from(properties, node.dataDir(), portShift(node), HostFacts::detect);
    String version = context.getBundle().getVersion().toString();
    runtime = AgentRuntime.start(settings, version);
    try {
      http = AgentHttpServer.start(runtime, version, settings.httpHost(), settings.httpPort());
    } catch (IOException e) {
      runtime.close();
      throw e;
    }
    operations = context.registerService(AgentOperations.class, runtime, null);
    String host = settings.httpHost().equals("0.0.0.0") ? "127.0.0.1" : settings.httpHost();
    String address = host + ":" + http.port();
    endpoint = context.registerService(Endpoint.class, new Endpoint("agent", address), null);
    LOG.info("agent activated node={} endpoint=agent address={} masters={}", node.nodeId(),
        address, settings.masters().masters());
  }

  /**
   * How far this node's ports are moved from the defaults, read from its own Raft port (7070 by
   * default): {@code ./cairn} shifts every port of node N by 10*(N-1) plus CAIRN_PORT_OFFSET. An
   * agent-only node (not among the peers) uses the defaults.
   */
  static int portShift(NodeInfo node) {
    return node.peers().stream().filter(p -> p.id() == node.nodeId()).findFirst()
        .map(p -> p.port() - 7070).filter(shift -> shift >= 0 && shift < 50_000).orElse(0);
  }

  @Deactivate
  void deactivate() {
    if (endpoint != null) {
      endpoint.unregister();
    }
    if (operations != null) {
      operations.unregister();
    }
    if (http != null) {
      http.close();
    }
    if (runtime != null) {
      runtime.close();
    }
    LOG.info("agent deactivated");
  }
}
