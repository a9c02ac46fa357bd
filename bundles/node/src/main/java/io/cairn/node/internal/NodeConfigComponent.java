package io.cairn.node.internal;

import io.cairn.env.NodeInfo;
import java.net.URI;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Map;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code etc/io.cairn.node.cfg} through Config Admin, validates it and publishes the node's
 * {@link NodeInfo} as a service. Every capability that needs the node's identity references that
 * service, so none of them starts on an invalid configuration; the reason is logged at ERROR and
 * shown by {@code cairn:node} and {@code ./cairn start}.
 *
 * <p>A changed configuration deactivates and re-activates this component (no {@code @Modified}),
 * which withdraws and re-publishes the service, so dependants restart with the new identity.
 */
// NodeInfo is registered by hand (only when valid), so declare the capability DS cannot infer.
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.cairn.env.NodeInfo",
    uses = NodeInfo.class)
@Component(
    configurationPid = NodeConfigParser.PID,
    configurationPolicy = ConfigurationPolicy.REQUIRE,
    immediate = true,
    service = {})
@Designate(ocd = NodeConfigComponent.Config.class)
public final class NodeConfigComponent {
  private static final Logger LOG = LoggerFactory.getLogger(NodeConfigComponent.class);

  /** The keys of {@code etc/io.cairn.node.cfg}. */
  @ObjectClassDefinition(id = NodeConfigParser.PID, name = "Cairn node",
      description = "Identity and roles of this Cairn node.")
  public @interface Config {
    @AttributeDefinition(name = "node.id", description = "This node's id, 1 or more; a master's id in peers.")
    int node_id();

    @AttributeDefinition(name = "roles", description = "master, agent, or master,agent.")
    String roles() default "master,agent";

    @AttributeDefinition(name = "data.dir", description = "Directory for Cairn's durable state.")
    String data_dir();

    @AttributeDefinition(name = "peers", description = "Masters of the Raft group: id@host:port, comma-separated.")
    String peers();
  }

  private final StatusBoard board;
  private final ServiceRegistration<NodeInfo> registration;

  @Activate
  public NodeConfigComponent(BundleContext context, Map<String, Object> props,
      @Reference StatusBoard board) {
    this.board = board;
    String source = sourceOf(props);
    NodeInfo info = null;
    try {
      info = new NodeConfigParser(source).parse(props);
    } catch (NodeConfigException e) {
      board.nodeChanged(null, e.getMessage());
    }
    if (info == null) {
      registration = null;
      return;
    }
    Hashtable<String, Object> serviceProps = new Hashtable<>();
    serviceProps.put("node.id", info.nodeId());
    serviceProps.put("roles", info.rolesText());
    registration = context.registerService(NodeInfo.class, info, serviceProps);
    board.nodeChanged(info, null);
    LOG.info("node configured node={} roles={} data={} peers={}", info.nodeId(),
        info.rolesText(), info.dataDir(), info.peers());
  }

  @Deactivate
  void deactivate() {
    if (registration != null) {
      registration.unregister();
    }
    board.nodeChanged(null, null);
  }

  /** The file Felix FileInstall read the configuration from, as the operator knows it. */
  private static String sourceOf(Map<String, Object> props) {
    Object fileName = props.get("felix.fileinstall.filename");
    if (fileName == null) {
      return "configuration " + NodeConfigParser.PID;
    }
    try {
      return Path.of(URI.create(fileName.toString())).toString();
    } catch (IllegalArgumentException e) {
      return fileName.toString();
    }
  }
}
