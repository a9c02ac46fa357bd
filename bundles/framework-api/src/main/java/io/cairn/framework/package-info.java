/**
 * Cairn's framework SPI. A framework bundle registers a {@link io.cairn.framework.Scheduler} as an
 * OSGi service (whiteboard pattern); the framework runtime on every master node runs one instance
 * of it, elects exactly one leading instance per framework through ZooKeeper, subscribes the leader
 * through the v1 scheduler HTTP API (the same API any external framework uses) and hands it a
 * {@link io.cairn.framework.SchedulerDriver}. Message types are Mesos's v1 protobufs from
 * {@code io.cairn.proto.mesos.v1}.
 */
@Export
@Version("0.1.0")
package io.cairn.framework;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
