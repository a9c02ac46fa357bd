package io.cairn.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * JSON over HTTP/1.1 to one {@code host:port} (Marathon's REST API in the itests). A request that
 * cannot be sent throws {@link IllegalStateException}, which {@link Await} treats as "not yet".
 */
final class RestClient {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

  private final String hostPort;

  RestClient(String hostPort) {
    this.hostPort = hostPort;
  }

  String hostPort() {
    return hostPort;
  }

  HttpResponse<String> get(String path) {
    return send("GET", path, null);
  }

  /** {@code method path} with a JSON body (null for none); 10 s timeout. */
  HttpResponse<String> send(String method, String path, String body) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + hostPort + path))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body)).build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(method + " http://" + hostPort + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(method + " " + path + " interrupted", e);
    }
  }

  /** GET {@code path} parsed as JSON. */
  JsonNode getJson(String path) {
    return json(get(path));
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException("not JSON (" + response.statusCode() + "): "
          + response.body(), e);
    }
  }

  /** The body of GET {@code url} when it answers 200, else a sentence saying what it did. */
  static String bodyOf(String url, Duration timeout) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
          .timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body() : "status " + response.statusCode();
    } catch (IOException e) {
      return e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e.toString();
    }
  }
}
