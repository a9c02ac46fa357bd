package io.cairn.agent.internal.runtime;

import io.cairn.proto.agent.AgentMessage;
import java.time.Duration;
import java.util.function.Predicate;

/** {@link FakeMaster} for tests in other packages. */
public final class FakeMasterAccess implements AutoCloseable {
  private final FakeMaster master;

  public FakeMasterAccess() throws InterruptedException {
    master = new FakeMaster();
  }

  public String address() {
    return master.address();
  }

  public void send(AgentMessage message) {
    master.send(message);
  }

  public AgentMessage await(Predicate<AgentMessage> filter, Duration timeout)
      throws InterruptedException {
    return master.await(filter, timeout);
  }

  @Override
  public void close() {
    master.close();
  }
}
