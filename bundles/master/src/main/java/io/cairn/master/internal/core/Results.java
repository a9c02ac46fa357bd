package io.cairn.master.internal.core;

import io.cairn.master.internal.proto.RegistryProtos.RegistryResult;
import io.cairn.master.internal.proto.RegistryProtos.RegistryResult.Code;
import java.util.Locale;

/** Builds the {@link RegistryResult}s the registry answers; pure helpers. */
final class Results {
  static final RegistryResult OK = RegistryResult.newBuilder().setCode(Code.OK).build();

  private Results() {}

  /** A rejection: {@code code} and one sentence built from {@code template} and {@code args}. */
  static RegistryResult reject(Code code, String template, Object... args) {
    return RegistryResult.newBuilder()
        .setCode(code)
        .setMessage(String.format(Locale.ROOT, template, args))
        .build();
  }

  /** A number as people write it: {@code -1} rather than {@code -1.0}, {@code 0.5} as is. */
  static String number(double value) {
    if (Double.isFinite(value) && value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return Double.toString(value);
  }
}
