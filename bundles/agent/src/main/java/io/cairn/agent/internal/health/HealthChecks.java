package io.cairn.agent.internal.health;

import io.cairn.agent.internal.core.HealthPolicy;
import io.cairn.proto.mesos.v1.Protos.HealthCheck;
import io.netty.channel.EventLoop;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schedules health-check probes of running tasks: the first after {@code delay_seconds}, then one
 * every {@code interval_seconds} after the previous result (probes of one task never overlap).
 * Probes block, so they run on a small worker pool ({@code cairn-agent-health}); each result is
 * handed back to the agent's event loop and to {@link Sink}, which applies Mesos's grace period
 * and consecutive-failure rules ({@link HealthPolicy}).
 *
 * <p>Threading: {@link #start} and {@link #stop} are called on the event loop; timers run there.
 */
public final class HealthChecks implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HealthChecks.class);
  private static final int WORKERS = 2;

  /** Receives results on the event loop. */
  @FunctionalInterface
  public interface Sink {
    void onResult(String taskId, boolean healthy, String detail);
  }

  private final EventLoop loop;
  private final Sink sink;
  private final Function<String, Path> sandboxOf;
  private final Map<String, String> commandEnv;
  private final ExecutorService workers;
  private final Map<String, ScheduledFuture<?>> timers = new HashMap<>(); // event loop only

  /** Health checks reporting to {@code sink} on {@code loop}. */
  public HealthChecks(EventLoop loop, Sink sink, Function<String, Path> sandboxOf,
      Map<String, String> commandEnv) {
    this.loop = loop;
    this.sink = sink;
    this.sandboxOf = sandboxOf;
    this.commandEnv = Map.copyOf(commandEnv);
    this.workers = Executors.newFixedThreadPool(WORKERS, runnable -> {
      Thread thread = new Thread(runnable, "cairn-agent-health");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Starts probing {@code taskId}. */
  public void start(String taskId, HealthCheck check) {
    stop(taskId);
    LOG.info("health check started task={} type={}", taskId, check.getType());
    schedule(taskId, check, HealthPolicy.seconds(check.getDelaySeconds()));
  }

  /** Stops probing {@code taskId}. */
  public void stop(String taskId) {
    ScheduledFuture<?> timer = timers.remove(taskId);
    if (timer != null) {
      timer.cancel(false);
    }
  }

  private void schedule(String taskId, HealthCheck check, long delayNanos) {
    ScheduledFuture<?> timer = loop.schedule(() -> probe(taskId, check), delayNanos,
        TimeUnit.NANOSECONDS);
    timers.put(taskId, timer);
  }

  private void probe(String taskId, HealthCheck check) {
    Path sandbox = sandboxOf.apply(taskId);
    try {
      workers.execute(() -> {
        HealthProbe.Result result = HealthProbe.run(check, sandbox, commandEnv);
        loop.execute(() -> {
          if (!timers.containsKey(taskId)) {
            return; // stopped while probing
          }
          sink.onResult(taskId, result.healthy(), result.detail());
          if (timers.containsKey(taskId)) {
            schedule(taskId, check, HealthPolicy.seconds(check.getIntervalSeconds()));
          }
        });
      });
    } catch (RejectedExecutionException e) {
      LOG.debug("health checks closed; probe of task={} skipped", taskId);
    }
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }
}
