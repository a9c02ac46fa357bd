package io.cairn.consensus;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told about every leadership change this node observes, in term order, on the group's event loop.
 * Must return quickly and never block: hand long work to another executor.
 */
@ConsumerType
@FunctionalInterface
public interface LeadershipListener {
  void onLeadershipChange(Leadership leadership);
}
