package io.cairn.itests;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A few Docker engine API calls over its unix socket (HTTP/1.0, one request per connection), for
 * tests that must look at containers behind the agent's back. The agent itself uses docker-java.
 */
final class DockerEngineSocket {
  static final Path SOCKET = Path.of(System.getProperty("cairn.docker.socket.path",
      "/var/run/docker.sock"));
  static final String IMAGE = System.getProperty("cairn.docker.image", "cairn/busybox:1");

  private DockerEngineSocket() {}

  /** An HTTP answer: status and body. */
  record Answer(int status, String body) {}

  static Answer request(String method, String path) throws IOException {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(SOCKET));
      String request = method + " " + path + " HTTP/1.0\r\nHost: docker\r\n\r\n";
      channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      ByteBuffer buffer = ByteBuffer.allocate(8192);
      while (channel.read(buffer) >= 0) {
        all.write(buffer.array(), 0, buffer.position());
        buffer.clear();
      }
      String text = all.toString(StandardCharsets.UTF_8);
      int headEnd = text.indexOf("\r\n\r\n");
      if (!text.startsWith("HTTP/") || headEnd < 0) {
        throw new IOException("not an HTTP answer from " + SOCKET + ": " + text);
      }
      int status = Integer.parseInt(text.substring(9, 12));
      return new Answer(status, text.substring(headEnd + 4));
    }
  }

  /** Null when an engine answers {@code /_ping} with OK; otherwise why not. */
  static String whyNoEngine() {
    try {
      Answer ping = request("GET", "/_ping");
      if (ping.status() != 200) {
        return "the engine on " + SOCKET + " answered /_ping with " + ping.status();
      }
      Answer image = request("GET", "/images/" + IMAGE + "/json");
      return image.status() == 200 ? null : "the engine on " + SOCKET + " has no image "
          + IMAGE + " (" + image.status() + ")";
    } catch (IOException e) {
      return "no Docker engine answers on " + SOCKET + " (" + e.getMessage() + ")";
    }
  }

  /** Containers (running or not) with {@code label} ({@code key=value}): id and state. */
  static List<JsonNode> containersLabelled(String label) throws IOException {
    String filters = URLEncoder.encode("{\"label\":[\"" + label + "\"]}",
        StandardCharsets.UTF_8);
    Answer answer = request("GET", "/containers/json?all=1&filters=" + filters);
    if (answer.status() != 200) {
      throw new IOException("listing containers answered " + answer);
    }
    List<JsonNode> found = new ArrayList<>();
    MesosSchedulerClient.JSON.readTree(answer.body()).forEach(found::add);
    return found;
  }

  /** Removes a container, running or not. */
  static void remove(String id) throws IOException {
    request("DELETE", "/containers/" + id + "?force=1&v=1");
  }
}
