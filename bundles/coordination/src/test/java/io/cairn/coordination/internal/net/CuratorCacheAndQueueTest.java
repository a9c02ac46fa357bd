package io.cairn.coordination.internal.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.queue.DistributedQueue;
import org.apache.curator.framework.recipes.queue.QueueBuilder;
import org.apache.curator.framework.recipes.queue.QueueConsumer;
import org.apache.curator.framework.recipes.queue.QueueSerializer;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Curator 5's CuratorCache (persistent recursive watches) and DistributedQueue (sequential nodes,
 * child watches) against one node, with separate writer and reader clients.
 */
class CuratorCacheAndQueueTest {
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

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void curatorCacheMirrorsAnotherClientsChangesInOrder() throws Exception {
    CuratorFramework writer = client();
    writer.create().forPath("/cache", utf8("root"));
    writer.create().forPath("/cache/before", utf8("b"));
    CuratorCache cache = CuratorCache.build(client(), "/cache");
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    CountDownLatch initialized = new CountDownLatch(1);
    cache.listenable().addListener(
        CuratorCacheListener.builder()
            .forCreates(node -> events.add("created " + node.getPath()))
            .forChanges((old, node) -> events.add(
                "changed " + node.getPath() + " " + new String(node.getData(), StandardCharsets.UTF_8)))
            .forDeletes(node -> events.add("deleted " + node.getPath()))
            .forInitialized(initialized::countDown)
            .build());
    closeables.add(cache);
    cache.start();
    assertTrue(initialized.await(10, TimeUnit.SECONDS), "the cache loads the existing tree");
    assertEquals("created /cache", events.poll(10, TimeUnit.SECONDS));
    assertEquals("created /cache/before", events.poll(10, TimeUnit.SECONDS));

    // One change at a time: CuratorCache reads a created node after its event, so a node deleted
    // before that read is never reported (with Apache ZooKeeper too).
    writer.create().forPath("/cache/a", utf8("1"));
    assertEquals("created /cache/a", events.poll(10, TimeUnit.SECONDS));
    writer.setData().forPath("/cache/a", utf8("2"));
    assertEquals("changed /cache/a 2", events.poll(10, TimeUnit.SECONDS));
    writer.create().forPath("/cache/a/deep", utf8("d"));
    assertEquals("created /cache/a/deep", events.poll(10, TimeUnit.SECONDS));
    writer.delete().forPath("/cache/a/deep");
    assertEquals("deleted /cache/a/deep", events.poll(10, TimeUnit.SECONDS));
    writer.delete().forPath("/cache/before");
    assertEquals("deleted /cache/before", events.poll(10, TimeUnit.SECONDS));
    assertEquals("2", new String(cache.get("/cache/a").orElseThrow().getData(), StandardCharsets.UTF_8));
    assertTrue(cache.get("/cache/before").isEmpty());
  }

  @Test
  void distributedQueueHandsEveryItemToTheConsumerInOrder() throws Exception {
    BlockingQueue<String> consumed = new LinkedBlockingQueue<>();
    QueueSerializer<String> serializer =
        new QueueSerializer<>() {
          @Override
          public byte[] serialize(String item) {
            return utf8(item);
          }

          @Override
          public String deserialize(byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
          }
        };
    QueueConsumer<String> consumer =
        new QueueConsumer<>() {
          @Override
          public void consumeMessage(String message) {
            consumed.add(message);
          }

          @Override
          public void stateChanged(CuratorFramework client, ConnectionState newState) {}
        };
    DistributedQueue<String> producer =
        QueueBuilder.builder(client(), null, serializer, "/queue").buildQueue();
    producer.start();
    closeables.add(producer);
    DistributedQueue<String> reader =
        QueueBuilder.builder(client(), consumer, serializer, "/queue").buildQueue();
    reader.start();
    closeables.add(reader);

    for (int i = 0; i < 20; i++) {
      producer.put("item-" + i);
    }

    for (int i = 0; i < 20; i++) {
      assertEquals("item-" + i, consumed.poll(10, TimeUnit.SECONDS));
    }
    CuratorFramework observer = client();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!observer.getChildren().forPath("/queue").isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "consumed items are removed from /queue");
      Thread.onSpinWait();
    }
  }
}
