package io.cairn.marathon.internal.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.marathon.internal.component.MarathonComponent;
import io.cairn.marathon.internal.model.AppJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The shell's way to Marathon: the REST API of this node's instance (which forwards to the
 * leader when it is a standby), so the commands behave the same on every master node.
 */
final class MarathonClient {
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** A response: status and parsed JSON (null for an empty or non-JSON body). */
  record Reply(int status, JsonNode json, String body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }

    /** Marathon's error as one or more lines: the message and every violation. */
    String error() {
      if (json == null || !json.has("message")) {
        return "HTTP " + status + ": " + body;
      }
      StringBuilder text = new StringBuilder("HTTP " + status + ": "
          + json.get("message").asText());
      for (JsonNode detail : json.path("details")) {
        text.append("\n  ").append(detail.path("path").asText()).append(": ");
        detail.path("errors").forEach(e -> text.append(e.asText()).append("; "));
      }
      return text.toString();
    }
  }

  private MarathonClient() {}

  static Reply call(MarathonComponent marathon, String method, String path, String body)
      throws IOException, InterruptedException {
    if (marathon == null) {
      throw new IOException("Marathon is not running on this node (feature"
          + " cairn-framework-marathon)");
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + marathon.address()
        + path)).timeout(Duration.ofSeconds(15)).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body)).build();
    HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    JsonNode json = null;
    String text = response.body();
    if (text != null && !text.isBlank() && (text.startsWith("{") || text.startsWith("["))) {
      json = AppJson.MAPPER.readTree(text);
    }
    return new Reply(response.statusCode(), json, text);
  }

  /** {@code /ocfweb/web} or {@code ocfweb/web} as a URL path part. */
  static String path(String appId) {
    return appId.startsWith("/") ? appId : "/" + appId;
  }
}
