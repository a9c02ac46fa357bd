package io.cairn.framework.jobs.internal.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of PID {@code io.cairn.framework.jobs} (etc/io.cairn.framework.jobs.cfg). */
@ObjectClassDefinition(name = "Cairn jobs framework")
public @interface JobsConfig {
  @AttributeDefinition(name = "Framework name", description = "FrameworkInfo.name; also its"
      + " identity across restarts and its ZooKeeper path")
  String frameworkName() default "cairn-jobs";

  @AttributeDefinition(name = "Role", description = "The role the framework subscribes with")
  String role() default "*";

  @AttributeDefinition(name = "User", description = "FrameworkInfo.user (empty: the agent's)")
  String user() default "";

  @AttributeDefinition(name = "Failover timeout (s)", description = ">= 0; how long the master"
      + " keeps the tasks of a disconnected jobs framework; 0 tears it down when it stops")
  double failoverTimeoutSeconds() default 604800;

  @AttributeDefinition(name = "REST host", description = "Address the REST API binds")
  String host() default "127.0.0.1";

  @AttributeDefinition(name = "REST port", description = "TCP port of /v1/jobs, 1..65535")
  int port() default 8082;

  @AttributeDefinition(name = "ZooKeeper root", description = "Where jobs and runs are stored")
  String zkRoot() default "/cairn/jobs";

  @AttributeDefinition(name = "ZooKeeper connect string",
      description = "host:port[,...]; empty means this node's own zk endpoint")
  String zkConnect() default "";

  @AttributeDefinition(name = "History per job", description = "Finished runs kept per job,"
      + " 1..1000")
  int historyMax() default 20;
}
