package io.cairn.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import javax.inject.Inject;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The master bundle in a real Karaf: on a one-master node it leads (the Raft leader's node),
 * serves {@code /health} and {@code /master/state} on port 15050, answers a v1 SUBSCRIBE over HTTP
 * with a RecordIO stream (SUBSCRIBED, then HEARTBEAT), publishes its MasterInfo as {@code
 * /mesos/json.info_*} in the node's ZooKeeper API, and {@code master:state} says it leads. The
 * protocol itself is unit-tested in bundles/master; this checks wiring, config and the shell.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MasterApiIT {
  private static final int MASTER_PORT = 15050;
  private static final long DEADLINE_MS = 60_000;

  @Inject SessionFactory sessions;

  @org.ops4j.pax.exam.Configuration
  public Option[] config() {
    return CairnOptions.distribution(
        editConfigurationFilePut("etc/io.cairn.node.cfg", "node.id", "1"),
        editConfigurationFilePut("etc/io.cairn.node.cfg", "roles", "master"),
        editConfigurationFilePut("etc/io.cairn.node.cfg", "peers", "1@127.0.0.1:17250"),
        editConfigurationFilePut("etc/io.cairn.coordination.cfg", "clientPort", "14181"),
        editConfigurationFilePut("etc/io.cairn.coordination.cfg", "adminPort", "14191"),
        editConfigurationFilePut("etc/io.cairn.master.cfg", "port", "" + MASTER_PORT),
        editConfigurationFilePut("etc/io.cairn.master.cfg", "hostname", "localhost"),
        editConfigurationFilePut("etc/io.cairn.master.cfg", "heartbeatIntervalMs", "1000"));
  }

  @Test
  public void leadsServesStateStreamsEventsAndPublishesMasterInfo() throws Exception {
    assertEquals(200, awaitStatus("/health"));
    String state = awaitBody("/master/state", "\"leader\":\"master@localhost:15050\"");
    assertTrue(state, state.contains("\"slaves\":["));

    HttpURLConnection subscribe = open("/api/v1/scheduler");
    subscribe.setRequestMethod("POST");
    subscribe.setDoOutput(true);
    subscribe.setRequestProperty("Content-Type", "application/json");
    subscribe.setRequestProperty("Accept", "application/json");
    try (OutputStream body = subscribe.getOutputStream()) {
      body.write(("{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":"
          + "{\"user\":\"it\",\"name\":\"master-it\"}}}").getBytes(StandardCharsets.UTF_8));
    }
    assertEquals(200, subscribe.getResponseCode());
    assertTrue("Mesos-Stream-Id", subscribe.getHeaderField("Mesos-Stream-Id") != null);
    try (InputStream events = subscribe.getInputStream()) {
      String first = record(events);
      assertTrue(first, first.contains("\"type\":\"SUBSCRIBED\""));
      assertTrue(first, first.contains("\"framework_id\""));
      String next = record(events);
      while (!next.contains("\"type\":\"HEARTBEAT\"")) {
        next = record(events);
      }
    } finally {
      subscribe.disconnect();
    }

    String znodes = awaitCommand("zk:ls /mesos", "json.info_");
    String name = znodes.lines().filter(l -> l.startsWith("json.info_")).findFirst()
        .orElseThrow();
    String data = execute("zk:get /mesos/" + name.trim());
    assertTrue(data, data.contains("\"hostname\":\"localhost\""));
    assertTrue(data, data.contains("\"port\":15050"));

    String summary = execute("master:state");
    assertTrue(summary, summary.contains("leading     yes"));
  }

  /** One RecordIO record: decimal length, newline, that many bytes. */
  private static String record(InputStream in) throws IOException {
    StringBuilder length = new StringBuilder();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new IOException("the event stream ended");
      }
      length.append((char) c);
    }
    return new String(in.readNBytes(Integer.parseInt(length.toString().trim())),
        StandardCharsets.UTF_8);
  }

  private static HttpURLConnection open(String path) throws IOException {
    HttpURLConnection connection = (HttpURLConnection)
        new URL("http://127.0.0.1:" + MASTER_PORT + path).openConnection();
    connection.setConnectTimeout(5_000);
    connection.setReadTimeout(20_000);
    return connection;
  }

  private static int awaitStatus(String path) throws InterruptedException {
    long deadline = System.currentTimeMillis() + DEADLINE_MS;
    IOException last = null;
    while (System.currentTimeMillis() < deadline) {
      try {
        HttpURLConnection connection = open(path);
        int code = connection.getResponseCode();
        connection.disconnect();
        return code;
      } catch (IOException e) {
        last = e;
        Thread.sleep(200);
      }
    }
    throw new AssertionError("no answer on " + path + " within 60 s: " + last);
  }

  private static String awaitBody(String path, String wanted) throws InterruptedException {
    long deadline = System.currentTimeMillis() + DEADLINE_MS;
    String body = "";
    while (System.currentTimeMillis() < deadline) {
      try {
        HttpURLConnection connection = open(path);
        try (InputStream in = connection.getInputStream()) {
          body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
          connection.disconnect();
        }
        if (body.contains(wanted)) {
          return body;
        }
      } catch (IOException e) {
        body = e.toString();
      }
      Thread.sleep(200);
    }
    throw new AssertionError(path + " never contained " + wanted + "; last: " + body);
  }

  private String awaitCommand(String command, String wanted) throws InterruptedException {
    long deadline = System.currentTimeMillis() + DEADLINE_MS;
    String out = "";
    while (System.currentTimeMillis() < deadline) {
      out = execute(command);
      if (out.contains(wanted)) {
        return out;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(command + " never showed " + wanted + "; last: " + out);
  }

  private String execute(String command) {
    return KarafShell.execute(sessions, command);
  }
}
