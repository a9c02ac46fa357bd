package io.cairn.consensus.internal.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.consensus.Applied;
import io.cairn.consensus.internal.core.RaftConfig;
import io.cairn.consensus.internal.net.NettyTransport;
import io.cairn.consensus.internal.net.TransportSettings;
import io.cairn.env.RandomSource;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three drivers in one JVM over real loopback sockets: core, codec, Netty transport and driver
 * together. A leader is elected, writes commit everywhere, and after the leader stops the other
 * two elect a new one and keep committing.
 */
class RaftOverNettyTest {
  private final List<RaftDriver> drivers = new ArrayList<>();
  private final List<NettyTransport> transports = new ArrayList<>();
  private final List<RaftDriverTest.KvMachine> machines = new ArrayList<>();

  @AfterEach
  void stop() {
    drivers.forEach(RaftDriver::close);
    transports.forEach(NettyTransport::close);
  }

  private void startGroup() {
    TransportSettings settings = TransportSettings.defaults();
    InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    for (int id = 1; id <= 3; id++) {
      transports.add(NettyTransport.bind(id, any, settings));
    }
    for (int id = 1; id <= 3; id++) {
      for (int peer = 1; peer <= 3; peer++) {
        if (peer != id) {
          transports.get(id - 1).addPeer(peer, transports.get(peer - 1).localAddress());
        }
      }
    }
    RandomSource random = RandomSource.seeded(21);
    for (int id = 1; id <= 3; id++) {
      RaftDriverTest.KvMachine machine = new RaftDriverTest.KvMachine();
      machines.add(machine);
      drivers.add(RaftDriver.start(
          RaftConfig.defaults(id, Set.of(1, 2, 3)), random.split(), new InMemoryLogStorage(),
          transports.get(id - 1), Map.of("kv", machine), Duration.ofMillis(10)));
    }
  }

  private RaftDriver awaitLeader(List<RaftDriver> candidates) throws Exception {
    CompletableFuture<RaftDriver> elected = new CompletableFuture<>();
    for (RaftDriver driver : candidates) {
      driver.addLeadershipListener(leadership -> {
        if (leadership.local()) {
          elected.complete(driver);
        }
      });
    }
    return elected.get(20, TimeUnit.SECONDS);
  }

  @Test
  void aGroupOverLoopbackCommitsAndSurvivesItsLeader() throws Exception {
    startGroup();
    RaftDriver leader = awaitLeader(drivers);
    Applied first = leader.propose("kv", "a=1".getBytes(StandardCharsets.UTF_8))
        .toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertTrue(first.index() >= 2);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!machines.stream().allMatch(m -> "1".equals(m.values.get("a")))) {
      assertTrue(System.nanoTime() < end, "not every node applied a=1");
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    int old = drivers.indexOf(leader);
    leader.close();
    transports.get(old).close();
    List<RaftDriver> rest = new ArrayList<>(drivers);
    rest.remove(leader);
    RaftDriver next = awaitLeader(rest);
    Applied second = next.propose("kv", "a=2".getBytes(StandardCharsets.UTF_8))
        .toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertTrue(second.term() > first.term());
    assertArrayEquals("1".getBytes(StandardCharsets.UTF_8), second.result());
    assertEquals(2, rest.size());
  }

  @Test
  void aFollowerWritesAndReadsThroughTheLeaderOverSockets() throws Exception {
    startGroup();
    RaftDriver leader = awaitLeader(drivers);
    for (RaftDriver follower : drivers) {
      if (follower == leader) {
        continue;
      }
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (follower.status().leadership().leaderId() != leader.status().nodeId()) {
        assertTrue(System.nanoTime() < end, "the follower never learned the leader");
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
      }
      int id = follower.status().nodeId();
      Applied written = follower.propose("kv", ("f=" + id).getBytes(StandardCharsets.UTF_8))
          .toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertEquals(String.valueOf(id), machines.get(drivers.indexOf(follower)).values.get("f"));
      long barrier = follower.readBarrier().toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertTrue(barrier >= written.index());
    }
  }
}
