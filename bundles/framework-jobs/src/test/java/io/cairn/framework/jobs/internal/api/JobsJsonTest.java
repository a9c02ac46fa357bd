package io.cairn.framework.jobs.internal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.framework.jobs.internal.core.JobRun;
import io.cairn.framework.jobs.internal.core.JobSpec;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Metronome-shaped job JSON in and out, and run records for storage. */
class JobsJsonTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aMetronomeJobParsesAndRoundTrips() {
    JobSpec spec = JobsJson.spec(utf8("{\"id\":\"nightly.report\",\"description\":\"d\","
        + "\"run\":{\"cmd\":\"echo hi\",\"cpus\":0.5,\"mem\":64,\"disk\":10,"
        + "\"restart\":{\"policy\":\"ON_FAILURE\"},\"placement\":{\"constraints\":["
        + "{\"attribute\":\"rack\",\"operator\":\"EQ\",\"value\":\"r1\"}]}},"
        + "\"schedules\":[{\"id\":\"nightly\",\"cron\":\"0 2 * * *\","
        + "\"timezone\":\"Europe/Berlin\",\"concurrencyPolicy\":\"FORBID\"}]}")).validate();
    assertEquals("nightly.report", spec.id());
    assertEquals(3, spec.maxRetries(), "ON_FAILURE without maxRetries means 3");
    assertEquals(JobSpec.ConcurrencyPolicy.FORBID, spec.schedule().orElseThrow()
        .concurrencyPolicy());
    assertEquals("Europe/Berlin", spec.schedule().orElseThrow().timeZone());
    assertEquals(spec, JobsJson.spec(JobsJson.bytes(JobsJson.spec(spec))));
  }

  @Test
  void anIsoScheduleMayComeAsIso8601() {
    JobSpec spec = JobsJson.spec(utf8("{\"id\":\"hourly\",\"run\":{\"cmd\":\"true\"},"
        + "\"schedules\":[{\"iso8601\":\"R/2026-11-24T10:00:00Z/PT1H\"}]}")).validate();
    assertEquals("R/2026-11-24T10:00:00Z/PT1H", spec.schedule().orElseThrow().expression());
    assertEquals(Optional.empty(), JobsJson.spec(utf8("{\"id\":\"x\",\"run\":{\"cmd\":\"true\"}}"))
        .schedule());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"not json", "[]", "{\"id\":\"x\"}",
      "{\"id\":\"x\",\"run\":{\"cmd\":\"true\",\"cpus\":\"many\"}}",
      "{\"id\":\"x\",\"run\":{\"cmd\":\"true\",\"placement\":{\"constraints\":[{\"attribute\":"
          + "\"a\",\"operator\":\"NEAR\",\"value\":\"b\"}]}}}",
      "{\"id\":\"x\",\"run\":{\"cmd\":\"true\"},\"schedules\":[{\"cron\":\"* * * * *\","
          + "\"concurrencyPolicy\":\"SOMETIMES\"}]}"})
  void badBodiesAreRefusedWithASentence(String body) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JobsJson.spec(utf8(body)));
    assertTrue(e.getMessage().length() > 10, e.getMessage());
  }

  @Test
  void runRecordsRoundTrip() throws Exception {
    JobRun run = new JobRun("20261124100000-1", "hello", JobRun.Status.ACTIVE, "manual", 1L, 0L,
        2, 0L, "hello_20261124100000-1.2", "agent-1", "TASK_RUNNING", "running");
    assertEquals(run, JobsJson.runFromRecord(JobsJson.runRecord(run)));
    String json = new String(JobsJson.bytes(JobsJson.run(run)), StandardCharsets.UTF_8);
    assertTrue(json.contains("\"status\":\"ACTIVE\"") && json.contains("\"completedAt\":null")
        && json.contains("TASK_RUNNING"), json);
  }
}
