package io.cairn.agent.internal.core;

import com.google.protobuf.ByteString;
import io.cairn.env.RandomSource;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import io.cairn.proto.mesos.v1.Protos.TaskState;

/** Small pure helpers of the core: update uuids and the state for tasks the agent lost. */
final class Uuids {
  private Uuids() {}

  /** A version-4 RFC 4122 uuid as 16 bytes, drawn from {@code random}. */
  static ByteString random(RandomSource random) {
    byte[] bytes = new byte[16];
    long high = random.nextLong();
    long low = random.nextLong();
    for (int i = 0; i < 8; i++) {
      bytes[i] = (byte) (high >>> (56 - 8 * i));
      bytes[8 + i] = (byte) (low >>> (56 - 8 * i));
    }
    bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40); // version 4
    bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80); // IETF variant
    return ByteString.copyFrom(bytes);
  }

  /** TASK_DROPPED for PARTITION_AWARE frameworks, TASK_LOST for the others (as Mesos). */
  static TaskState droppedOrLost(FrameworkInfo framework) {
    boolean partitionAware = framework.getCapabilitiesList().stream().anyMatch(
        c -> c.getType() == FrameworkInfo.Capability.Type.PARTITION_AWARE);
    return partitionAware ? TaskState.TASK_DROPPED : TaskState.TASK_LOST;
  }
}
