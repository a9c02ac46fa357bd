package io.cairn.framework.runtime.internal.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pure parts of the framework runtime: backoff, RecordIO, master detection, watchdog. */
class RuntimeCoreTest {

  @ParameterizedTest(name = "after {0} failures wait {1} ms")
  @CsvSource({"0,0", "1,500", "2,1000", "3,2000", "5,8000", "6,10000", "40,10000"})
  void backoffDoublesUpToTheCap(int failures, long expectedMs) {
    assertEquals(expectedMs, new Backoff(500, 10_000).delayMs(failures));
  }

  @Test
  void backoffRejectsAnInvertedRange() {
    assertThrows(IllegalArgumentException.class, () -> new Backoff(100, 50));
  }

  @Test
  void recordIoSplitsRecordsWhateverTheChunking() {
    byte[] stream = recordIo("hello", "", "{\"type\":\"HEARTBEAT\"}");
    for (int chunk = 1; chunk <= stream.length; chunk++) {
      RecordIoDecoder decoder = new RecordIoDecoder(1024);
      List<String> records = new ArrayList<>();
      for (int i = 0; i < stream.length; i += chunk) {
        for (byte[] r : decoder.feed(stream, i, Math.min(chunk, stream.length - i))) {
          records.add(new String(r, StandardCharsets.UTF_8));
        }
      }
      assertEquals(List.of("hello", "", "{\"type\":\"HEARTBEAT\"}"), records, "chunk " + chunk);
      assertTrue(decoder.atBoundary());
    }
  }

  @Test
  void recordIoRejectsOversizedAndMalformedRecords() {
    assertThrows(IllegalArgumentException.class,
        () -> RecordIoDecoder.decodeAll(recordIo("x".repeat(20)), 10));
    assertThrows(IllegalArgumentException.class, () -> RecordIoDecoder.decodeAll(
        "1a\nx".getBytes(StandardCharsets.UTF_8), 10));
    assertThrows(IllegalArgumentException.class, () -> RecordIoDecoder.decodeAll(
        "5\nab".getBytes(StandardCharsets.UTF_8), 10));
  }

  @Test
  void theLowestSequenceLeads() {
    assertEquals(Optional.of("json.info_0000000003"), MasterInfos.leaderZnode(List.of(
        "json.info_0000000007", "log_replicas", "json.info_0000000003", "info_0000000001")));
    assertEquals(Optional.empty(), MasterInfos.leaderZnode(List.of("log_replicas")));
  }

  @Test
  void masterAddressComesFromMasterInfoJson() {
    String json = "{\"id\":\"m1\",\"ip\":16777343,\"port\":5050,\"hostname\":\"ignored\","
        + "\"address\":{\"hostname\":\"127.0.0.1\",\"ip\":\"127.0.0.1\",\"port\":15050},"
        + "\"unknown_field\":1}";
    assertEquals(Optional.of("127.0.0.1:15050"), MasterInfos.leaderAddress(Map.of(
        "json.info_0000000001", json.getBytes(StandardCharsets.UTF_8),
        "json.info_0000000002", "{}".getBytes(StandardCharsets.UTF_8))));
    assertEquals("h:5050", MasterInfos.address(
        "{\"id\":\"m\",\"ip\":1,\"port\":5050,\"hostname\":\"h\"}".getBytes(StandardCharsets.UTF_8)));
    assertThrows(IllegalArgumentException.class,
        () -> MasterInfos.address("not json".getBytes(StandardCharsets.UTF_8)));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"//127.0.0.1:5060/api/v1/scheduler,127.0.0.1:5060",
      "http://h:1/api/v1/scheduler,h:1", "http://h:2,h:2", "/api/v1/scheduler,"})
  void redirectTargets(String location, String expected) {
    assertEquals(Optional.ofNullable(expected), MasterInfos.redirectTarget(location));
  }

  @Test
  void watchdogExpiresAfterMissedHeartbeats() {
    HeartbeatWatchdog dog = new HeartbeatWatchdog(3, 15_000, 0);
    assertFalse(dog.expired(15_000));
    assertTrue(dog.expired(15_001), "no SUBSCRIBED within the subscribe timeout");
    dog.subscribed(1.0, 20_000);
    assertFalse(dog.expired(23_000));
    assertTrue(dog.expired(23_001));
    dog.event(23_000);
    assertFalse(dog.expired(26_000));
    assertEquals(3_001, dog.silentMs(26_001));
  }

  private static byte[] recordIo(String... records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String r : records) {
      byte[] b = r.getBytes(StandardCharsets.UTF_8);
      out.writeBytes((b.length + "\n").getBytes(StandardCharsets.UTF_8));
      out.writeBytes(b);
    }
    return out.toByteArray();
  }

  @Test
  void decodeAllRoundTrips() {
    assertArrayEquals("ab".getBytes(StandardCharsets.UTF_8),
        RecordIoDecoder.decodeAll(recordIo("ab"), 10).get(0));
  }
}
