package io.cairn.agent.internal.containerizer;

import java.util.List;

/**
 * What {@link ProcessContainerizer#recover()} found in the checkpoints.
 *
 * @param adopted tasks whose process is still running; they can be killed and are watched
 * @param failed tasks whose process was gone; each got a TASK_FAILED update
 * @param unreadable checkpoint files that could not be read (each logged with the reason)
 */
public record RecoveryResult(List<String> adopted, List<String> failed, List<String> unreadable) {
  /** Copies the lists. */
  public RecoveryResult {
    adopted = List.copyOf(adopted);
    failed = List.copyOf(failed);
    unreadable = List.copyOf(unreadable);
  }
}
