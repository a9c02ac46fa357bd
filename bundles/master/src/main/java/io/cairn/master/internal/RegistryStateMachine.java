package io.cairn.master.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.consensus.spi.StateMachine;
import io.cairn.master.Registry;
import io.cairn.master.RegistryView;
import io.cairn.master.internal.core.RegistryCore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The {@code registry} namespace on the replicated log: hands committed commands to the
 * deterministic {@link RegistryCore} and streams its snapshots. The core stays free of I/O; this
 * adapter only moves bytes between streams and the core.
 *
 * <p>Threading: {@link #apply}, {@link #snapshot} and {@link #restore} are called only on the Raft
 * group's apply loop, one at a time (the {@link StateMachine} contract). {@link #registry} may be
 * called from any thread; it returns the immutable view the core published after its last apply.
 */
public final class RegistryStateMachine implements StateMachine, RegistryView {
  /** The namespace of the registry's entries in the replicated log. */
  public static final String NAMESPACE = "registry";

  private final RegistryCore core = new RegistryCore();

  @Override
  public String namespace() {
    return NAMESPACE;
  }

  @Override
  public byte[] apply(long index, byte[] command) {
    return core.apply(index, command).toByteArray();
  }

  @Override
  public void snapshot(OutputStream out) throws IOException {
    out.write(core.snapshot());
  }

  @Override
  public void restore(long lastIndex, InputStream in) throws IOException {
    byte[] bytes = in.readAllBytes();
    try {
      core.restore(lastIndex, bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IOException(
          "registry snapshot at index " + lastIndex + " (" + bytes.length + " bytes) is corrupt",
          e);
    }
  }

  @Override
  public Registry registry() {
    return core.view();
  }
}
