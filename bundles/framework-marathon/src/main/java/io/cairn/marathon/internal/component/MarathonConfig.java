package io.cairn.marathon.internal.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of PID {@code io.cairn.marathon} (etc/io.cairn.marathon.cfg). */
@ObjectClassDefinition(name = "Cairn Marathon")
public @interface MarathonConfig {
  @AttributeDefinition(name = "HTTP host", description = "Address the REST API listens on")
  String host() default "127.0.0.1";

  @AttributeDefinition(name = "HTTP port", description = "REST API v2 port, 0..65535 (0 = any)")
  int port() default 8080;

  @AttributeDefinition(name = "Advertised hostname", description = "Host other instances and"
      + " clients use to reach this one; empty means the listen host")
  String hostname() default "";

  @AttributeDefinition(name = "Framework name", description = "FrameworkInfo.name; the"
      + " identity of the framework across restarts")
  String frameworkName() default "marathon";

  @AttributeDefinition(name = "Framework user", description = "FrameworkInfo.user; empty"
      + " means the user running Cairn")
  String user() default "";

  @AttributeDefinition(name = "Mesos role", description = "The role Marathon subscribes with")
  String role() default "*";

  @AttributeDefinition(name = "Failover timeout (s)", description = "How long the master keeps"
      + " Marathon's tasks while no instance is subscribed, >= 0")
  long failoverTimeoutSeconds() default 604800;

  @AttributeDefinition(name = "ZooKeeper connect string", description = "host:port[,...];"
      + " empty means this node's own zk endpoint")
  String zkConnect() default "";

  @AttributeDefinition(name = "ZooKeeper path", description = "Root of Marathon's state")
  String zkPath() default "/marathon";

  @AttributeDefinition(name = "Max instances per offer", description = "1..100")
  int maxInstancesPerOffer() default 5;

  @AttributeDefinition(name = "Max running deployments", description = "1..10000; above it a"
      + " new deployment gets 403")
  int maxRunningDeployments() default 100;

  @AttributeDefinition(name = "Reconciliation interval (ms)", description = ">= 1000")
  long reconciliationIntervalMs() default 60000;
}
