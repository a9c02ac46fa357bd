package io.cairn.consensus.internal.driver;

import io.cairn.consensus.internal.net.NettyLoops;
import io.cairn.consensus.internal.net.NettyTransport;
import io.cairn.env.Transport;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread a {@link RaftDriver} runs on. Over a {@link NettyTransport} it is the transport's
 * own event loop, shared: an inbound frame is stepped on the thread that read it and an outbound
 * one written by the thread that made it, with no hand-off. (Before, each burst of frames crossed
 * threads twice per node; on this 2-core machine the wake-ups and context switches cost more than
 * the Raft work.) With any other transport (tests, benches) the driver owns a loop of its own.
 *
 * <p>{@link #afterIteration} runs a task once the loop has handled the I/O and tasks of its current
 * iteration: the driver drains its core there, so what arrived together leaves together.
 */
final class DriverLoop {
  private static final Logger LOG = LoggerFactory.getLogger(DriverLoop.class);

  private final EventLoop loop;
  /** The group this driver created and must shut down, or null when the loop is the transport's. */
  private final EventLoopGroup owned;
  private ScheduledFuture<?> ticker;

  private DriverLoop(EventLoop loop, EventLoopGroup owned) {
    this.loop = loop;
    this.owned = owned;
  }

  /** The transport's loop when it has one, otherwise a new loop named {@code cairn-raft-<node>}. */
  static DriverLoop forTransport(Transport transport, int nodeId) {
    if (transport instanceof NettyTransport netty) {
      return new DriverLoop(netty.eventLoop(), null);
    }
    EventLoopGroup group = NettyLoops.group(1, "cairn-raft-" + nodeId);
    return new DriverLoop((EventLoop) group.next(), group);
  }

  /** Queues {@code task}; throws {@link RejectedExecutionException} once the loop stopped. */
  void execute(Runnable task) {
    loop.execute(task);
  }

  boolean inLoop() {
    return loop.inEventLoop();
  }

  /** On the loop: runs {@code task} at the end of this iteration, after its I/O and tasks. */
  void afterIteration(Runnable task) {
    if (loop instanceof SingleThreadEventLoop single) {
      single.executeAfterEventLoopIteration(task);
    } else {
      loop.execute(task);
    }
  }

  void tickEvery(Duration interval, Runnable tick) {
    long ms = interval.toMillis();
    ticker = loop.scheduleAtFixedRate(tick, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** On the loop: no more ticks (the group failed or closes; the transport may go on). */
  void stopTicking() {
    if (ticker != null) {
      ticker.cancel(false);
    }
  }

  /**
   * Runs {@code last} on the loop (ticks stop first) and waits up to {@code timeout} for it, then
   * releases the loop if this driver owns it. A loop that already stopped skips {@code last}.
   */
  void close(Runnable last, Duration timeout) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      loop.execute(() -> {
        try {
          stopTicking();
          last.run();
        } finally {
          done.complete(null);
        }
      });
      if (!loop.inEventLoop()) {
        done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (RejectedExecutionException e) {
      LOG.debug("raft loop already stopped");
    } catch (TimeoutException | ExecutionException e) {
      LOG.warn("raft loop did not finish closing within {}", timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (owned != null) {
      owned.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS)
          .awaitUninterruptibly(timeout.toMillis());
    }
  }
}
