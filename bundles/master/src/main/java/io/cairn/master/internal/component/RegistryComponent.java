package io.cairn.master.internal.component;

import io.cairn.consensus.spi.StateMachine;
import io.cairn.master.Registry;
import io.cairn.master.RegistryView;
import io.cairn.master.internal.RegistryStateMachine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the master registry with the replicated log (namespace {@code registry}, a {@link
 * StateMachine} whiteboard service) and publishes its read-only {@link RegistryView}. Needs nothing:
 * consensus replays committed entries into it when it appears, which breaks the cycle between
 * the log (needs machines) and the master (needs the log).
 *
 * <p>Threading: the state machine methods come from the log's apply loop; {@link #registry} from
 * any thread (see {@link RegistryStateMachine}).
 */
@Component(service = {StateMachine.class, RegistryView.class}, immediate = true)
public final class RegistryComponent implements StateMachine, RegistryView {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryComponent.class);

  private final RegistryStateMachine machine = new RegistryStateMachine();

  @Activate
  public RegistryComponent() {
    LOG.info("registry state machine registered namespace={}", RegistryStateMachine.NAMESPACE);
  }

  @Override
  public String namespace() {
    return machine.namespace();
  }

  @Override
  public byte[] apply(long index, byte[] command) {
    return machine.apply(index, command);
  }

  @Override
  public void snapshot(OutputStream out) throws IOException {
    machine.snapshot(out);
  }

  @Override
  public void restore(long lastIndex, InputStream in) throws IOException {
    machine.restore(lastIndex, in);
  }

  @Override
  public Registry registry() {
    return machine.registry();
  }
}
