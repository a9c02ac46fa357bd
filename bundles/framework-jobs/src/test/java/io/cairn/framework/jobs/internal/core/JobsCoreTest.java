package io.cairn.framework.jobs.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.framework.jobs.internal.core.JobRun.Status;
import io.cairn.framework.jobs.internal.core.JobSpec.ConcurrencyPolicy;
import io.cairn.framework.jobs.internal.core.JobSpec.Constraint;
import io.cairn.framework.jobs.internal.core.JobsCore.OfferDecision;
import io.cairn.framework.jobs.internal.core.JobsCore.OfferView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The jobs core driven by hand: runs, offers, retries, concurrency, history, restore. */
class JobsCoreTest {
  private static final long T0 = Instant.parse("2026-11-24T10:00:00Z").toEpochMilli();
  private final JobsCore core = new JobsCore(new JobsCore.Settings(3, 60_000, 100, 100));

  private static JobSpec job(String id, int retries, Optional<JobSpec.ScheduleSpec> schedule,
      Constraint... constraints) {
    return new JobSpec(id, "", "echo done", 0.5, 64, 0, retries, 10, List.of(constraints),
        schedule);
  }

  private static OfferView offer(String id, double cpus, Map<String, String> attributes) {
    return new OfferView(id, "agent-" + id, "host-" + id, cpus, 1024, 1024, attributes);
  }

  @Test
  void aManualRunLaunchesOnAFittingOfferAndSucceeds() {
    core.addJob(job("hello", 0, Optional.empty()), T0);
    JobRun run = core.startRun("hello", "manual", T0);
    assertEquals(Status.INITIAL, run.status());
    assertTrue(core.drain().contains(new JobsCore.Revive()));
    OfferDecision d = core.offers(List.of(offer("small", 0.1, Map.of()),
        offer("big", 4, Map.of())), T0 + 10);
    assertEquals(List.of("small"), d.declined());
    assertEquals(1, d.launches().size());
    String task = d.launches().get(0).run().taskId();
    assertEquals("big", d.launches().get(0).offerId());
    assertTrue(core.runs("hello").get(0).message().isEmpty() == false);
    core.taskStatus(task, "TASK_RUNNING", "", T0 + 20);
    assertEquals(Status.ACTIVE, core.runs("hello").get(0).status());
    core.taskStatus(task, "TASK_FINISHED", "", T0 + 30);
    JobRun done = core.runs("hello").get(0);
    assertEquals(Status.SUCCESS, done.status());
    assertEquals(T0 + 30, done.finishedAtMs());
    assertTrue(core.activeRuns().isEmpty());
  }

  @Test
  void failedAttemptsRetryWithDoublingBackoffThenFail() {
    core.addJob(job("flaky", 2, Optional.empty()), T0);
    core.startRun("flaky", "manual", T0);
    long now = T0;
    long[] expectedDelays = {10_000, 20_000};
    for (int attempt = 1; attempt <= 3; attempt++) {
      OfferDecision d = core.offers(List.of(offer("a", 1, Map.of())), now);
      assertEquals(1, d.launches().size(), "attempt " + attempt + " launches");
      JobRun launched = d.launches().get(0).run();
      assertEquals(attempt, launched.attempt());
      core.taskStatus(launched.taskId(), "TASK_FAILED", "exit 1", now + 1);
      if (attempt < 3) {
        JobRun waiting = core.runs("flaky").get(0);
        assertEquals(Status.INITIAL, waiting.status());
        assertEquals(now + 1 + expectedDelays[attempt - 1], waiting.notBeforeMs());
        assertTrue(core.offers(List.of(offer("b", 1, Map.of())), now + 2).launches().isEmpty(),
            "no launch during the backoff");
        now = waiting.notBeforeMs();
      }
    }
    JobRun failed = core.runs("flaky").get(0);
    assertEquals(Status.FAILED, failed.status());
    assertTrue(failed.message().contains("no retries left"), failed.message());
  }

  @Test
  void aRetryWhoseBackoffEndedRevivesOffers() {
    core.addJob(job("again", 1, Optional.empty()), T0);
    core.startRun("again", "manual", T0);
    JobRun run = core.offers(List.of(offer("a", 1, Map.of())), T0).launches().get(0).run();
    core.taskStatus(run.taskId(), "TASK_FAILED", "", T0 + 100);
    core.drain();
    core.tick(T0 + 1_000);
    assertTrue(core.drain().stream().noneMatch(e -> e instanceof JobsCore.Revive),
        "still backing off");
    core.tick(T0 + 10_100);
    assertEquals(List.of(new JobsCore.Revive()), core.drain());
    core.tick(T0 + 11_100);
    assertTrue(core.drain().isEmpty(), "one revive per pending spell");
  }

  @Test
  void retryDelayIsCapped() {
    JobSpec spec = job("x", 10, Optional.empty());
    assertEquals(10_000, core.retryDelayMs(spec, 1));
    assertEquals(40_000, core.retryDelayMs(spec, 3));
    assertEquals(60_000, core.retryDelayMs(spec, 9));
  }

  @Test
  void forbidSkipsATriggerWhileARunIsActiveAndAllowDoesNot() {
    for (ConcurrencyPolicy policy : ConcurrencyPolicy.values()) {
      JobsCore c = new JobsCore(JobsCore.Settings.DEFAULTS);
      String id = policy.name().toLowerCase(java.util.Locale.ROOT);
      c.addJob(job(id, 0, Optional.of(new JobSpec.ScheduleSpec("default", "* * * * *", "UTC",
          policy, true))), T0);
      assertEquals(Optional.of(T0 + 60_000), c.nextRunMs(id));
      c.tick(T0 + 60_000);
      assertEquals(1, c.activeRuns().size());
      c.tick(T0 + 120_000);
      assertEquals(policy == ConcurrencyPolicy.FORBID ? 1 : 2, c.activeRuns().size(),
          policy.name());
      assertEquals(Optional.of(T0 + 180_000), c.nextRunMs(id));
    }
  }

  @Test
  void constraintsSelectTheAgent() {
    core.addJob(job("placed", 0, Optional.empty(), new Constraint("rack",
        Constraint.Operator.EQ, "r2"), new Constraint("hostname", Constraint.Operator.UNLIKE,
        "host-c.*")), T0);
    core.startRun("placed", "manual", T0);
    OfferDecision d = core.offers(List.of(offer("a", 4, Map.of("rack", "r1")),
        offer("c", 4, Map.of("rack", "r2")), offer("d", 4, Map.of("rack", "r2"))), T0);
    assertEquals("d", d.launches().get(0).offerId());
    assertEquals(List.of("a", "c"), d.declined());
  }

  @Test
  void historyIsBoundedAndOldRunsAreDeleted() {
    core.addJob(job("often", 0, Optional.empty()), T0);
    for (int i = 0; i < 5; i++) {
      core.startRun("often", "manual", T0 + i);
      JobRun run = core.offers(List.of(offer("a", 4, Map.of())), T0 + i).launches().get(0).run();
      core.taskStatus(run.taskId(), "TASK_FINISHED", "", T0 + i);
    }
    assertEquals(3, core.runs("often").size());
    long deletes = core.drain().stream().filter(e -> e instanceof JobsCore.DeleteRun).count();
    assertEquals(2, deletes);
  }

  @Test
  void badInputIsRefusedWithKinds() {
    Refusal invalid = assertThrows(Refusal.class, () -> core.addJob(new JobSpec("Bad_Id", "",
        "", 0, 0, -1, 11, 10, List.of(), Optional.empty()), T0));
    assertEquals(Refusal.Kind.INVALID, invalid.kind());
    assertTrue(invalid.getMessage().contains("Bad_Id") && invalid.getMessage().contains("cpus"),
        invalid.getMessage());
    core.addJob(job("one", 0, Optional.empty()), T0);
    assertEquals(Refusal.Kind.CONFLICT, assertThrows(Refusal.class,
        () -> core.addJob(job("one", 0, Optional.empty()), T0)).kind());
    assertEquals(Refusal.Kind.NOT_FOUND, assertThrows(Refusal.class,
        () -> core.startRun("none", "manual", T0)).kind());
  }

  @Test
  void removingAJobKillsItsTasks() {
    core.addJob(job("doomed", 0, Optional.empty()), T0);
    core.startRun("doomed", "manual", T0);
    JobRun run = core.offers(List.of(offer("a", 4, Map.of())), T0).launches().get(0).run();
    core.drain();
    core.removeJob("doomed");
    assertEquals(List.of(new JobsCore.Kill(run.taskId(), run.agentId()),
        new JobsCore.DeleteJob("doomed")), core.drain());
  }

  @Test
  void aNewLeaderRestoresJobsAndRunsAndKeepsTracking() {
    core.addJob(job("kept", 1, Optional.empty()), T0);
    core.startRun("kept", "manual", T0);
    JobRun run = core.offers(List.of(offer("a", 4, Map.of())), T0).launches().get(0).run();
    JobsCore next = new JobsCore(JobsCore.Settings.DEFAULTS);
    next.restore(core.jobs(), core.activeRuns(), T0 + 1000);
    assertEquals(Map.of(run.taskId(), run.agentId()), next.activeTasks());
    next.taskStatus(run.taskId(), "TASK_FINISHED", "", T0 + 2000);
    assertEquals(Status.SUCCESS, next.runs("kept").get(0).status());
  }
}
