package io.cairn.framework.runtime.internal.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of PID {@code io.cairn.framework.runtime} (optional etc/io.cairn.framework.runtime.cfg). */
@ObjectClassDefinition(name = "Cairn framework runtime")
public @interface RuntimeConfig {
  @AttributeDefinition(name = "ZooKeeper connect string",
      description = "host:port[,host:port...]; empty means this node's own zk endpoint")
  String zkConnect() default "";

  @AttributeDefinition(name = "Mesos path", description = "Where masters publish MasterInfo"
      + " (the path of zk://.../mesos)")
  String mesosPath() default "/mesos";

  @AttributeDefinition(name = "ZooKeeper session timeout (ms)", description = ">= 2000;"
      + " a dead leader's instance loses leadership after this long")
  int sessionTimeoutMs() default 10000;

  @AttributeDefinition(name = "Backoff initial (ms)", description = "Delay after the first"
      + " failed subscription, >= 1")
  long backoffInitialMs() default 500;

  @AttributeDefinition(name = "Backoff max (ms)", description = "Cap of the doubling delay"
      + " between subscription attempts, >= backoffInitialMs")
  long backoffMaxMs() default 10000;

  @AttributeDefinition(name = "Missed heartbeats", description = "Heartbeat intervals of"
      + " silence after which a stream is treated as lost, 1..100")
  int missedHeartbeats() default 3;

  @AttributeDefinition(name = "Subscribe timeout (ms)", description = "Time for a master to"
      + " answer SUBSCRIBE and send SUBSCRIBED, >= 1000")
  long subscribeTimeoutMs() default 15000;

  @AttributeDefinition(name = "Teardown timeout (ms)", description = "Time a TEARDOWN may take"
      + " when a framework with failover_timeout 0 unregisters, >= 100")
  long teardownTimeoutMs() default 5000;
}
