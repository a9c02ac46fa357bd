package io.cairn.agent.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.agent.internal.config.AgentSettings;
import io.cairn.agent.internal.config.HostFacts;
import io.cairn.agent.internal.runtime.AgentRuntime;
import io.cairn.agent.internal.runtime.FakeMasterAccess;
import io.cairn.proto.agent.AgentMessage;
import io.cairn.proto.agent.AgentRegistered;
import io.cairn.proto.agent.KillTask;
import io.cairn.proto.agent.RunTask;
import io.cairn.proto.mesos.v1.Protos;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /state, /files, /metrics and /health over a real socket, with a real task's sandbox. */
class AgentHttpServerTest {
  static final Duration WAIT = Duration.ofSeconds(15);
  @TempDir Path work;
  final HttpClient client = HttpClient.newHttpClient();

  HttpResponse<String> get(int port, String pathAndQuery) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
        .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
  }

  static String q(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Test
  void servesStateFilesMetricsAndHealth() throws Exception {
    try (FakeMasterAccess master = new FakeMasterAccess()) {
      AgentSettings settings = AgentSettings.from(
          Map.of("master", master.address(), "work_dir", work.toString(), "http.port", "0",
              "hostname", "localhost", "resources", "cpus:2;mem:1024;disk:1024;ports:[31000-31009]",
              "attributes", "rack:a;nfs:true", "status_update_retry_min_ms", "200"),
          work, dir -> new HostFacts(2, 4096, 4096, "localhost"));
      AgentRuntime runtime = AgentRuntime.start(settings, "test");
      try (AgentHttpServer http = AgentHttpServer.start(runtime, "test", "127.0.0.1", 0)) {
        master.await(AgentMessage::hasRegisterAgent, WAIT);
        master.send(AgentMessage.newBuilder().setLeaderTerm(1).setAgentRegistered(
            AgentRegistered.newBuilder().setAgentId(Protos.AgentID.newBuilder().setValue("a-9")))
            .build());
        Protos.FrameworkInfo framework = Protos.FrameworkInfo.newBuilder().setUser("u")
            .setName("fw").setId(Protos.FrameworkID.newBuilder().setValue("fw-1")).build();
        master.send(AgentMessage.newBuilder().setLeaderTerm(1).setRunTask(RunTask.newBuilder()
            .setFramework(framework).setTask(Protos.TaskInfo.newBuilder().setName("web")
                .setTaskId(Protos.TaskID.newBuilder().setValue("t-http"))
                .setAgentId(Protos.AgentID.newBuilder().setValue("a-9"))
                .setCommand(Protos.CommandInfo.newBuilder().setValue("echo hello; exec sleep 30"))))
            .build());
        master.await(m -> m.hasStatusUpdate()
            && m.getStatusUpdate().getLatestState() == TaskState.TASK_RUNNING, WAIT);

        int port = http.port();
        String state = get(port, "/state").body();
        assertTrue(state.contains("\"id\":\"a-9\""), state);
        assertTrue(state.contains("\"hostname\":\"localhost\""), state);
        assertTrue(state.contains("\"ports\":\"[31000-31009]\""), state);
        assertTrue(state.contains("\"rack\":\"a\""), state);
        assertTrue(state.contains("\"state\":\"TASK_RUNNING\""), state);
        // Which isolation is in effect (rlimits only on this machine, with the reason).
        String isolation = io.cairn.agent.internal.containerizer.Isolation.detect().isolationFlag();
        assertTrue(state.contains("\"isolation\":\"" + isolation + "\""), state);
        assertTrue(state.contains("\"in_effect\":\"" + isolation + "\""), state);
        Matcher directory = Pattern.compile("\"directory\":\"([^\"]+)\"").matcher(state);
        assertTrue(directory.find(), state);
        String sandbox = directory.group(1);

        String listing = get(port, "/files/browse?path=" + q(sandbox)).body();
        assertTrue(listing.contains(sandbox + "/stdout"), listing);
        String read = "";
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!read.contains("hello\\n") && System.nanoTime() < deadline) {
          read = get(port, "/files/read?path=" + q(sandbox + "/stdout") + "&offset=0").body();
        }
        assertEquals("{\"data\":\"hello\\n\",\"offset\":0}", read);
        assertEquals("{\"data\":\"\",\"offset\":6}",
            get(port, "/files/read?path=" + q(sandbox + "/stdout") + "&offset=-1").body());
        assertEquals(404, get(port, "/files/read?path=" + q("/etc/passwd") + "&offset=0").statusCode());
        assertEquals(404, get(port, "/files/browse?path=" + q(sandbox + "/../../../../../..")).statusCode());
        assertEquals(400, get(port, "/files/read?path=" + q(sandbox)).statusCode());

        String metrics = get(port, "/metrics").body();
        assertTrue(metrics.contains("cairn_agent_registered 1.0"), metrics);
        assertTrue(metrics.contains("cairn_agent_tasks{state=\"TASK_RUNNING\"} 1"), metrics);
        assertEquals("OK", get(port, "/health").body());
        assertEquals(404, get(port, "/nope").statusCode());

        master.send(AgentMessage.newBuilder().setLeaderTerm(1).setKillTask(KillTask.newBuilder()
            .setFrameworkId(framework.getId())
            .setTaskId(Protos.TaskID.newBuilder().setValue("t-http"))).build());
        master.await(m -> m.hasStatusUpdate()
            && m.getStatusUpdate().getLatestState() == TaskState.TASK_KILLED, WAIT);
      } finally {
        runtime.close();
      }
    }
  }

  static String raw(int port, String request) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout((int) WAIT.toMillis());
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void badRequestsGetAStatusAndASentence() throws Exception {
    AgentSettings settings = AgentSettings.from(
        Map.of("master", "127.0.0.1:1", "work_dir", work.toString(), "http.port", "0",
            "hostname", "localhost"),
        work, dir -> new HostFacts(1, 1024, 1024, "localhost"));
    AgentRuntime runtime = AgentRuntime.start(settings, "test");
    try (AgentHttpServer http = AgentHttpServer.start(runtime, "test", "127.0.0.1", 0)) {
      int port = http.port();
      String post = raw(port, "POST /state HTTP/1.1\r\nHost: x\r\n\r\n");
      assertTrue(post.startsWith("HTTP/1.1 405 "), post);
      assertTrue(post.endsWith("Only GET is supported on /state."), post);
      String garbage = raw(port, "HELLO\r\n\r\n");
      assertTrue(garbage.startsWith("HTTP/1.1 400 "), garbage);
      String huge = raw(port, "GET /state HTTP/1.1\r\nX: " + "a".repeat(20_000) + "\r\n\r\n");
      assertTrue(huge.startsWith("HTTP/1.1 431 "), huge);
      String state = raw(port, "GET /state HTTP/1.1\r\nHost: x\r\n\r\n");
      assertTrue(state.contains("\"registration\":\"REGISTERING\"")
          || state.contains("\"registration\":\"DISCONNECTED\""), state);
      assertTrue(state.contains("Connection: close"), state);
    } finally {
      runtime.close();
    }
  }
}
