package io.cairn.coordination.internal.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.coordination.internal.monitor.AdminHttpServer;
import io.cairn.coordination.internal.server.ServerConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin endpoint over real HTTP with {@link HttpClient}: ZooKeeper AdminServer's shape. */
class AdminHttpServerTest {
  private ZkServerFixture fixture;
  private AdminHttpServer admin;
  private InetSocketAddress address;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() throws Exception {
    fixture = new ZkServerFixture(new ServerConfig(100, 1000, 10000, 100, 10000, false));
    admin = new AdminHttpServer(fixture.netty.facts());
    address = admin.start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    admin.close();
    fixture.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + path))
            .timeout(Duration.ofSeconds(10))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aTakenPortIsRefusedInOneSentence() {
    AdminHttpServer second = new AdminHttpServer(fixture.netty.facts());
    try {
      IllegalStateException refused =
          org.junit.jupiter.api.Assertions.assertThrows(
              IllegalStateException.class, () -> second.start("127.0.0.1", address.getPort()));
      assertTrue(
          refused.getMessage().startsWith(
              "the coordination admin endpoint cannot listen on 127.0.0.1:" + address.getPort()),
          refused.getMessage());
      assertTrue(refused.getMessage().endsWith("set adminPort in io.cairn.coordination (0 = off)"));
    } finally {
      second.close();
    }
  }

  @Test
  void ruokAnswersAnEmptyCommandResponse() throws Exception {
    HttpResponse<String> response = get("/commands/ruok");

    assertEquals(200, response.statusCode());
    assertEquals("application/json; charset=utf-8",
        response.headers().firstValue("content-type").orElse(""));
    assertEquals("{\"command\":\"ruok\",\"error\":null}\n", response.body());
  }

  @Test
  void mntrAndSrvrCarryTheSameFactsAsTheFourLetterWords() throws Exception {
    String mntr = get("/commands/mntr").body();
    String monitor = get("/commands/monitor").body();
    String srvr = get("/commands/srvr").body();

    assertTrue(mntr.startsWith("{\"command\":\"monitor\",\"error\":null,\"version\":\"3.9.5-cairn\""),
        mntr);
    assertTrue(mntr.contains("\"server_state\":\"standalone\""), mntr);
    assertTrue(mntr.contains("\"znode_count\":4,"), mntr);
    assertTrue(mntr.contains("\"ephemerals_count\":0,"), mntr);
    assertTrue(mntr.contains("\"packets_received\":"), mntr);
    assertTrue(monitor.startsWith("{\"command\":\"monitor\""), monitor);
    assertTrue(srvr.startsWith("{\"command\":\"server_stats\",\"error\":null,"), srvr);
    assertTrue(srvr.contains("\"server_stats\":{\"packets_sent\":"), srvr);
    assertTrue(srvr.contains("\"node_count\":4"), srvr);
  }

  @Test
  void confNamesBothPortsAndEnviTheJvm() throws Exception {
    String conf = get("/commands/conf").body();
    String envi = get("/commands/envi").body();

    assertTrue(conf.contains("\"client_port\":" + fixture.address.getPort()), conf);
    assertTrue(conf.contains("\"admin.serverPort\":" + address.getPort()), conf);
    assertTrue(conf.contains("\"tick_time\":100"), conf);
    assertTrue(envi.startsWith("{\"command\":\"environment\",\"error\":null,"
        + "\"zookeeper.version\":\"3.9.5-cairn\""), envi);
  }

  @Test
  void wordsOutsideTheWhitelistUnknownNamesAndOtherMethodsAreRefused() throws Exception {
    HttpResponse<String> cons = get("/commands/cons");
    HttpResponse<String> unknown = get("/commands/nope");
    HttpResponse<String> elsewhere = get("/metrics");
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort()
                    + "/commands/ruok"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> list = get("/commands");

    assertEquals(403, cons.statusCode());
    assertEquals("{\"command\":\"connections\",\"error\":\"cons is not executed because cons is"
        + " not in the whitelist\"}\n", cons.body());
    assertEquals(404, unknown.statusCode());
    assertEquals("{\"command\":\"nope\",\"error\":\"Unknown command: nope\"}\n", unknown.body());
    assertEquals(404, elsewhere.statusCode());
    assertEquals(405, post.statusCode());
    assertEquals(200, list.statusCode());
    assertTrue(list.body().startsWith("{\"commands\":[\"ruok\",\"server_stats\",\"stats\","), list.body());
  }
}
