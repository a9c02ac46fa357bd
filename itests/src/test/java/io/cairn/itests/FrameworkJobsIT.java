package io.cairn.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.inject.Inject;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The framework runtime and the jobs framework in a real one-node Cairn (master + agent): {@code
 * feature:install cairn-framework-jobs} at run time; the runtime elects it, finds the master under
 * {@code /mesos} in Cairn's own ZooKeeper, subscribes it ({@code framework:list}); a job submitted
 * over REST runs {@code echo done} on the agent and its run ends SUCCESS ({@code jobs:history});
 * {@code feature:uninstall} (failover timeout 0 here) tears the framework down on the master. Ports
 * are the defaults shifted by 6000.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FrameworkJobsIT {
  private static final int MASTER_PORT = 11050;
  private static final int JOBS_PORT = 14082;
  private static final Duration WAIT = Duration.ofSeconds(90);

  @Inject SessionFactory sessions;
  @Inject FeaturesService features;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @org.ops4j.pax.exam.Configuration
  public Option[] config() {
    return CairnOptions.distribution(
        editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", "14101"),
        editConfigurationFilePut("etc/io.cairn.node.cfg", "node.id", "1"),
        editConfigurationFilePut("etc/io.cairn.node.cfg", "roles", "master,agent"),
        editConfigurationFilePut("etc/io.cairn.node.cfg", "peers", "1@127.0.0.1:13070"),
        editConfigurationFilePut("etc/io.cairn.coordination.cfg", "clientPort", "8181"),
        editConfigurationFilePut("etc/io.cairn.coordination.cfg", "adminPort", "15181"),
        editConfigurationFilePut("etc/io.cairn.master.cfg", "port", "" + MASTER_PORT),
        editConfigurationFilePut("etc/io.cairn.agent.cfg", "http.port", "11051"),
        editConfigurationFilePut("etc/io.cairn.agent.cfg", "master", "127.0.0.1:" + MASTER_PORT),
        editConfigurationFilePut("etc/io.cairn.agent.cfg", "resources",
            "cpus:2;mem:1024;disk:1024;ports:[31000-31010]"),
        editConfigurationFilePut("etc/io.cairn.framework.jobs.cfg", "port", "" + JOBS_PORT),
        editConfigurationFilePut("etc/io.cairn.framework.jobs.cfg", "failoverTimeoutSeconds",
            "0"));
  }

  @Test
  public void installRunAJobToSuccessAndUninstall() throws Exception {
    String none = waitFor(() -> execute("framework:list"), s -> s.contains("No frameworks"),
        "the framework runtime without frameworks");
    assertTrue(none, none.contains("No frameworks"));

    // What feature:install does (the probe's shell session may not run feature commands).
    features.installFeature("cairn-framework-jobs");
    String listed = waitFor(() -> execute("framework:list"),
        s -> s.contains("cairn-jobs") && s.contains(" yes "), "cairn-jobs subscribed");
    assertTrue(listed, listed.contains("this node"));
    Matcher idMatch = Pattern.compile("cairn-jobs\\s+(\\S+)").matcher(listed);
    assertTrue(listed, idMatch.find());
    String frameworkId = idMatch.group(1);
    String state = get(MASTER_PORT, "/master/state").body();
    assertTrue(state, state.contains(frameworkId) && state.contains("\"cairn-jobs\""));

    // Bad input is refused with a sentence naming the field.
    HttpResponse<String> bad = waitFor(() -> post("/v1/jobs",
        "{\"id\":\"Bad Id\",\"run\":{\"cmd\":\"\",\"cpus\":0.1,\"mem\":32}}"),
        r -> r.statusCode() != 503, "the jobs leader to load its state");
    assertEquals(bad.body(), 422, bad.statusCode());
    assertTrue(bad.body(), bad.body().contains("Bad Id") && bad.body().contains("run.cmd"));

    HttpResponse<String> created = post("/v1/jobs", "{\"id\":\"hello\",\"description\":\"it\","
        + "\"run\":{\"cmd\":\"/bin/sh -c 'echo done'\",\"cpus\":0.1,\"mem\":32,\"disk\":0}}");
    assertEquals(created.body(), 201, created.statusCode());
    HttpResponse<String> jobs = get(JOBS_PORT, "/v1/jobs");
    assertTrue(jobs.body(), jobs.body().contains("\"id\":\"hello\""));
    HttpResponse<String> started = post("/v1/jobs/hello/runs", "");
    assertEquals(started.body(), 201, started.statusCode());
    String runs = waitFor(() -> get(JOBS_PORT, "/v1/jobs/hello/runs").body(),
        s -> s.contains("\"status\":\"SUCCESS\"") || s.contains("\"status\":\"FAILED\""),
        "the run of hello to finish");
    assertTrue(runs, runs.contains("\"status\":\"SUCCESS\""));
    assertTrue(runs, runs.contains("TASK_FINISHED"));
    String history = execute("jobs:history hello");
    assertTrue(history, history.contains("SUCCESS") && history.contains("manual"));
    String list = execute("jobs:list");
    assertTrue(list, list.contains("hello"));

    features.uninstallFeature("cairn-framework-jobs");
    String gone = waitFor(() -> get(MASTER_PORT, "/master/state").body(),
        s -> !s.contains(frameworkId), "the master to forget framework " + frameworkId);
    assertTrue(gone, !gone.contains("\"cairn-jobs\""));
    String after = waitFor(() -> execute("framework:list"), s -> s.contains("No frameworks"),
        "framework:list without cairn-jobs");
    assertTrue(after, after.contains("No frameworks"));
  }

  private HttpResponse<String> get(int port, String path) {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET());
  }

  private HttpResponse<String> post(String path, String json) {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + JOBS_PORT + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.timeout(Duration.ofSeconds(15)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new IllegalStateException("request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Polls until {@code done} holds (exceptions count as not yet), within {@link #WAIT}. */
  private static <T> T waitFor(Supplier<T> probe, Predicate<T> done, String what) {
    long end = System.nanoTime() + WAIT.toNanos();
    T last = null;
    RuntimeException lastError = null;
    while (System.nanoTime() < end) {
      try {
        last = probe.get();
        if (done.test(last)) {
          return last;
        }
      } catch (RuntimeException e) {
        lastError = e;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
    }
    throw new AssertionError("no " + what + " within " + WAIT + "; last: " + last
        + (lastError == null ? "" : "; last error: " + lastError));
  }

  private String execute(String command) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    try (Session session = sessions.create(System.in, out, out)) {
      session.execute(command);
    } catch (Exception e) {
      // A RuntimeException, so that waitFor retries: at boot the shell may not know a bundle's
      // commands yet ("Command not found").
      throw new IllegalStateException("command failed: " + command + ": " + bytes, e);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
