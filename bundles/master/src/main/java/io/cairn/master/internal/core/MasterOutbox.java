package io.cairn.master.internal.core;

import io.cairn.master.internal.proto.RegistryProtos.RegistryCommand;
import io.cairn.proto.agent.AgentMessage;
import io.cairn.proto.mesos.v1.scheduler.Protos.Event;

/**
 * Where {@link MasterCore} puts its outputs. The driver implements it and executes each call in
 * the order made: frames to agent connections, events to scheduler streams, closes, and registry
 * proposals whose outcome it reports back with {@link MasterCore#onRegistryResult} or {@link
 * MasterCore#onRegistryFailure}.
 *
 * <p>Threading: called only from the core's thread, inside one of its input methods; an
 * implementation must not block and must not call back into the core synchronously.
 */
public interface MasterOutbox {
  /** Sends one frame to the agent connection {@code connectionId}. */
  void toAgent(long connectionId, AgentMessage message);

  /** Closes an agent connection; the core already forgot it. */
  void closeAgent(long connectionId, String reason);

  /** Sends one event on the scheduler stream {@code streamId}. */
  void toFramework(String streamId, Event event);

  /** Sends one event on the operator stream {@code streamId} (operator API SUBSCRIBE). */
  void toOperatorStream(String streamId, io.cairn.proto.mesos.v1.master.Protos.Event event);

  /** Ends a scheduler or operator stream; the core already forgot it. */
  void closeStream(String streamId, String reason);

  /** Proposes a registry command; the outcome comes back under {@code proposalId}. */
  void propose(long proposalId, RegistryCommand command);
}
