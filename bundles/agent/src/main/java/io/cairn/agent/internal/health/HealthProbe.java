package io.cairn.agent.internal.health;

import io.cairn.proto.mesos.v1.Protos.HealthCheck;
import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One blocking probe of a task's health, as Mesos's checker runs them: TCP (connect to the port),
 * HTTP (GET; healthy when the status is in {@code statuses}, or 200..399 when none are given) and
 * COMMAND ({@code /bin/sh -c} in the task's sandbox; exit 0 is healthy). Ports are host ports on
 * 127.0.0.1: the process containerizer shares the host's network. Runs on a health worker thread,
 * never on the agent's event thread.
 */
final class HealthProbe {
  /** A probe's outcome and a sentence for the status message. */
  record Result(boolean healthy, String detail) {}

  private HealthProbe() {}

  static Result run(HealthCheck check, Path sandbox, Map<String, String> env) {
    Duration timeout = Duration.ofMillis(Math.max(1, (long) (check.getTimeoutSeconds() * 1000)));
    try {
      return switch (check.getType()) {
        case TCP -> tcp(check.getTcp().getPort(), timeout);
        case HTTP -> http(check.getHttp(), timeout);
        case COMMAND -> command(check.getCommand().getValue(), sandbox, env, timeout);
        default -> new Result(false, "health check type " + check.getType() + " is not supported");
      };
    } catch (IOException e) {
      return new Result(false, check.getType() + " health check failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(false, "health check interrupted");
    }
  }

  private static Result tcp(int port, Duration timeout) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
      return new Result(true, "TCP health check to port " + port + " succeeded");
    }
  }

  private static Result http(HealthCheck.HTTPCheckInfo http, Duration timeout) throws IOException {
    String scheme = http.hasScheme() ? http.getScheme() : "http";
    String path = http.getPath().startsWith("/") ? http.getPath() : "/" + http.getPath();
    URI uri = URI.create(scheme + "://127.0.0.1:" + http.getPort() + path);
    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
    connection.setConnectTimeout((int) timeout.toMillis());
    connection.setReadTimeout((int) timeout.toMillis());
    connection.setInstanceFollowRedirects(false);
    try {
      int status = connection.getResponseCode();
      boolean healthy = http.getStatusesCount() > 0
          ? http.getStatusesList().contains(status) : status >= 200 && status < 400;
      return new Result(healthy, "HTTP health check " + uri + " answered " + status);
    } finally {
      connection.disconnect();
    }
  }

  private static Result command(String command, Path sandbox, Map<String, String> env,
      Duration timeout) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    if (sandbox != null) {
      builder.directory(sandbox.toFile());
    }
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      return new Result(false, "COMMAND health check timed out after " + timeout.toMillis() + " ms");
    }
    int exit = process.exitValue();
    return new Result(exit == 0, "COMMAND health check exited with status " + exit);
  }
}
