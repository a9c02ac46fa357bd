package io.cairn.coordination.internal.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.shared.SharedCount;
import org.apache.curator.framework.recipes.shared.SharedCountListener;
import org.apache.curator.framework.recipes.shared.SharedCountReader;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Apache Curator 5 recipes against our server: they lean on ephemerals, sequences and watches. */
class CuratorRecipesTest {
  private ZkServerFixture fixture;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    fixture = new ZkServerFixture(ZkServerFixture.fastConfig());
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    fixture.close();
  }

  private CuratorFramework client() throws InterruptedException {
    CuratorFramework client =
        CuratorFrameworkFactory.newClient(
            fixture.connectString(), 4000, 4000, new RetryOneTime(100));
    client.start();
    closeables.add(client);
    assertTrue(client.blockUntilConnected(10, TimeUnit.SECONDS), "curator connects");
    return client;
  }

  @Test
  void leaderLatchElectsOneAndFailsOverWhenTheLeaderLeaves() throws Exception {
    LeaderLatch first = new LeaderLatch(client(), "/election", "first");
    LeaderLatch second = new LeaderLatch(client(), "/election", "second");
    first.start();
    assertTrue(first.await(10, TimeUnit.SECONDS), "the first latch leads");
    second.start();
    assertFalse(second.await(200, TimeUnit.MILLISECONDS), "only one leader at a time");
    assertEquals("first", second.getLeader().getId());
    first.close();
    assertTrue(second.await(10, TimeUnit.SECONDS), "the second takes over");
    closeables.add(second);
  }

  @Test
  void interProcessMutexExcludesTheOtherClientUntilReleased() throws Exception {
    InterProcessMutex mine = new InterProcessMutex(client(), "/locks/a");
    InterProcessMutex theirs = new InterProcessMutex(client(), "/locks/a");
    assertTrue(mine.acquire(10, TimeUnit.SECONDS));
    CompletableFuture<Boolean> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                boolean got = theirs.acquire(10, TimeUnit.SECONDS);
                theirs.release();
                return got;
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    assertFalse(waiting.isDone(), "blocked while held");
    mine.release();
    assertTrue(waiting.get(15, TimeUnit.SECONDS), "acquired after the release");
  }

  @Test
  void sharedCountSeesOtherClientsUpdates() throws Exception {
    SharedCount writer = new SharedCount(client(), "/counter", 0);
    SharedCount reader = new SharedCount(client(), "/counter", 0);
    CountDownLatch seen = new CountDownLatch(1);
    reader.addListener(
        new SharedCountListener() {
          @Override
          public void countHasChanged(SharedCountReader source, int newCount) {
            if (newCount == 7) {
              seen.countDown();
            }
          }

          @Override
          public void stateChanged(CuratorFramework client, ConnectionState newState) {}
        });
    writer.start();
    reader.start();
    closeables.add(writer);
    closeables.add(reader);
    assertTrue(writer.trySetCount(writer.getVersionedValue(), 7));
    assertTrue(seen.await(10, TimeUnit.SECONDS), "the reader's watch saw the update");
    assertEquals(7, reader.getCount());
  }
}
