package io.cairn.master.internal.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of PID {@code io.cairn.master} (etc/io.cairn.master.cfg). */
@ObjectClassDefinition(name = "Cairn master")
public @interface MasterConfig {
  @AttributeDefinition(name = "Listen host", description = "Address the HTTP listener binds")
  String host() default "127.0.0.1";

  @AttributeDefinition(name = "HTTP port", description = "TCP port, 1..65535 (Mesos --port)")
  int port() default 5050;

  @AttributeDefinition(name = "Advertised hostname",
      description = "Name in MasterInfo and redirects; empty means the listen host")
  String hostname() default "";

  @AttributeDefinition(name = "Allocation interval (ms)",
      description = "Batch allocation period, >= 10 (Mesos --allocation_interval)")
  long allocationIntervalMs() default 1000;

  @AttributeDefinition(name = "Heartbeat interval (ms)",
      description = "HEARTBEAT events on scheduler streams, >= 1000")
  long heartbeatIntervalMs() default 15000;

  @AttributeDefinition(name = "Agent ping timeout (ms)",
      description = "Ping period and pong deadline, >= 100 (Mesos --agent_ping_timeout)")
  long agentPingTimeoutMs() default 15000;

  @AttributeDefinition(name = "Max agent ping timeouts",
      description = "Missed pongs before an agent is unreachable, 1..100")
  int maxAgentPingTimeouts() default 5;

  @AttributeDefinition(name = "Agent re-register timeout (ms)",
      description = "After its election the master marks agents of the registry that did not"
          + " re-register within this long unreachable, >= 1000 (Mesos"
          + " --agent_reregister_timeout)")
  long agentReregisterTimeoutMs() default 600000;

  @AttributeDefinition(name = "Agent removal rate limit",
      description = "At most N agents marked unreachable per duration, as N/<d>secs|mins|hrs,"
          + " e.g. 1/10mins; empty means no limit (Mesos --agent_removal_rate_limit)")
  String agentRemovalRateLimit() default "";

  @AttributeDefinition(name = "Peer HTTP addresses",
      description = "id@host:port of each master's HTTP listener, comma-separated; for"
          + " redirects when the masters do not all use this node's port. Empty: the peer's"
          + " host and this port")
  String peerHttp() default "";

  @AttributeDefinition(name = "Publish MasterInfo to ZooKeeper",
      description = "While leading, keep an ephemeral sequential json.info_ znode under zkPath")
  boolean publishToZooKeeper() default true;

  @AttributeDefinition(name = "ZooKeeper path", description = "Mesos --zk path, e.g. /mesos")
  String zkPath() default "/mesos";
}
