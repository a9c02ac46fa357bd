package io.cairn.framework;

import io.cairn.proto.mesos.v1.Protos.AgentID;
import io.cairn.proto.mesos.v1.Protos.ExecutorID;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import io.cairn.proto.mesos.v1.Protos.Offer;
import io.cairn.proto.mesos.v1.Protos.OfferID;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import io.cairn.proto.mesos.v1.scheduler.Protos.Event;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A framework's scheduler, registered by its bundle as an OSGi service (whiteboard). The runtime
 * calls it from one thread per framework, in the order the master's events arrived, and only on
 * the leading instance (see {@link #leadership}); no callback may block.
 *
 * <p>The {@link FrameworkInfo} names the framework (its name is its identity across restarts and
 * bundle updates), its roles, {@code failover_timeout}, {@code checkpoint} and capabilities. Its
 * {@code id} is ignored: the runtime keeps the FrameworkID the master assigned (in ZooKeeper) and
 * re-subscribes with it after a master or leader fail-over, so tasks are kept.
 */
@ConsumerType
public interface Scheduler {

  /** What to subscribe with. Read once per subscription. */
  FrameworkInfo frameworkInfo();

  /**
   * The address other instances (and clients) reach this instance at, for example
   * {@code 127.0.0.1:8080}; it is the participant id in the leader election, so standbys can
   * proxy to the leader. Empty when the framework serves nothing.
   */
  default String instanceAddress() {
    return "";
  }

  /**
   * This instance became the leader ({@code leading}) or a standby that knows the current leader.
   * Called before {@link #subscribed} on the new leader; a leader that loses leadership is told
   * here and receives no further callbacks until elected again.
   */
  default void leadership(Leadership leadership) {}

  /** SUBSCRIBED: the master accepted the subscription; {@code driver.frameworkId()} is set. */
  void subscribed(SchedulerDriver driver, Event.Subscribed subscribed);

  /** OFFERS: accept or decline every offer (an offer ignored is held until rescinded). */
  void offers(SchedulerDriver driver, List<Offer> offers);

  /** RESCIND: the offer is no longer valid. */
  default void rescind(SchedulerDriver driver, OfferID offerId) {}

  /**
   * UPDATE: a task's status. When {@link #implicitAcknowledgements()} is true the runtime
   * acknowledges it after this method returns normally (an update carrying a uuid only).
   */
  void update(SchedulerDriver driver, TaskStatus status);

  /** Whether the runtime acknowledges updates after {@link #update} returns. */
  default boolean implicitAcknowledgements() {
    return true;
  }

  /** MESSAGE from an executor. */
  default void message(SchedulerDriver driver, AgentID agentId, ExecutorID executorId,
      byte[] data) {}

  /** FAILURE: an agent or executor was lost. */
  default void failure(SchedulerDriver driver, Event.Failure failure) {}

  /** ERROR: the master ended the subscription (for example the framework was torn down). */
  default void error(SchedulerDriver driver, String message) {}

  /**
   * The connection to the master was lost; the runtime is finding the leading master and will
   * re-subscribe ({@link #subscribed} is called again).
   */
  default void disconnected() {}
}
