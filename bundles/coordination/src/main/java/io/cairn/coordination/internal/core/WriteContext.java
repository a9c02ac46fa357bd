package io.cairn.coordination.internal.core;

import io.cairn.coordination.internal.jute.Id;
import java.util.List;

/**
 * Everything a write needs to be deterministic, all carried in the log command or derived from its
 * position.
 *
 * @param zxid derived from the log index
 * @param timeMs wall time stamped by the proposer (ctime/mtime, TTL expiry)
 * @param sessionId the writing session (0 for system writes such as container reaping)
 * @param callerIds the writer's authenticated ids, for ACL checks
 */
public record WriteContext(long zxid, long timeMs, long sessionId, List<Id> callerIds) {
  public WriteContext {
    callerIds = List.copyOf(callerIds);
  }
}
