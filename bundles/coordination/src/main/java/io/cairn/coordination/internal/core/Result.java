package io.cairn.coordination.internal.core;

import io.cairn.env.Check;
import io.cairn.coordination.internal.jute.Code;
import io.cairn.coordination.internal.jute.JuteRecord;

/**
 * The outcome of one operation: a ZooKeeper error code and, when it is {@link Code#OK}, the
 * response body (null when the response has none).
 *
 * @param err 0 or a ZooKeeper error code
 * @param body the response record, or null
 */
public record Result(int err, JuteRecord body) {
  /** A successful result with {@code body}. */
  public static Result ok(JuteRecord body) {
    return new Result(Code.OK, body);
  }

  /** A failed result. */
  public static Result error(int err) {
    Check.argument(err != Code.OK, "an error result needs a non-zero code");
    return new Result(err, null);
  }

  /** True when the operation succeeded. */
  public boolean isOk() {
    return err == Code.OK;
  }
}
