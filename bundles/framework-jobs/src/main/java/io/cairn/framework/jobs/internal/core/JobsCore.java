package io.cairn.framework.jobs.internal.core;

import io.cairn.framework.jobs.internal.core.JobRun.Status;
import io.cairn.framework.jobs.internal.core.JobSpec.ConcurrencyPolicy;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The jobs framework's scheduling core (Metronome's job scheduler and run executor in one): job
 * definitions, schedules, runs and their retries, offer matching and the concurrency policy.
 * Inputs are calls with the current wall-clock time ({@code nowMs}); outputs are return values and
 * {@link Effect}s to carry out (store, delete, kill, revive), drained by the driver.
 *
 * <p>Threading: single-threaded; the driver calls it from the jobs thread only. It reads no clock,
 * does no I/O and keeps no threads, so tests drive it with any times they like.
 */
public final class JobsCore {
  private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
      .withZone(ZoneOffset.UTC);

  /**
   * Bounds of the core.
   *
   * @param historyMax finished runs kept per job (older are deleted)
   * @param retryBackoffMaxMs cap of the doubling retry delay
   * @param activeRunsMax runs not finished, over all jobs, before new ones are refused
   * @param jobsMax job definitions before new ones are refused
   */
  public record Settings(int historyMax, long retryBackoffMaxMs, int activeRunsMax, int jobsMax) {
    public static final Settings DEFAULTS = new Settings(20, 3_600_000, 1000, 10_000);
  }

  /** An offer as the core needs it: scalar resources and attributes (text values). */
  public record OfferView(String offerId, String agentId, String hostname, double cpus,
      double memMb, double diskMb, Map<String, String> attributes) {}

  /** A run to launch on an offer. */
  public record Launch(String offerId, String agentId, JobRun run, JobSpec spec) {}

  /** What to do with a batch of offers: launches, and the offers to decline. */
  public record OfferDecision(List<Launch> launches, List<String> declined) {}

  /** Side effects for the driver, in order. */
  public sealed interface Effect {}

  /** Store (create or replace) a job definition. */
  public record PutJob(JobSpec spec) implements Effect {}

  /** Delete a job definition and all of its runs. */
  public record DeleteJob(String jobId) implements Effect {}

  /** Store a run. */
  public record PutRun(JobRun run) implements Effect {}

  /** Delete a finished run that fell out of the history. */
  public record DeleteRun(String jobId, String runId) implements Effect {}

  /** Kill a task. */
  public record Kill(String taskId, String agentId) implements Effect {}

  /** Offers are wanted again (a run became pending). */
  public record Revive() implements Effect {}

  private final Settings settings;
  private final Map<String, JobSpec> jobs = new TreeMap<>();
  private final Map<String, Long> nextDueMs = new HashMap<>();
  private final Map<String, JobRun> active = new LinkedHashMap<>();
  private final Map<String, Deque<JobRun>> history = new HashMap<>();
  private final Map<String, String> waiting = new HashMap<>();
  private final List<Effect> outbox = new ArrayList<>();
  private long runSequence;
  private boolean pendingAtLastTick;

  public JobsCore(Settings settings) {
    this.settings = settings;
  }

  /** The effects produced since the last drain, in order. */
  public List<Effect> drain() {
    List<Effect> out = List.copyOf(outbox);
    outbox.clear();
    return out;
  }

  /** A new leader's state from storage: schedules restart from {@code nowMs} (missed runs skip). */
  public void restore(Collection<JobSpec> specs, Collection<JobRun> runs, long nowMs) {
    jobs.clear();
    nextDueMs.clear();
    active.clear();
    history.clear();
    waiting.clear();
    for (JobSpec spec : specs) {
      jobs.put(spec.id(), spec);
      scheduleNext(spec, nowMs);
    }
    List<JobRun> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparingLong(JobRun::createdAtMs).thenComparing(JobRun::id));
    for (JobRun run : sorted) {
      if (!jobs.containsKey(run.jobId())) {
        outbox.add(new DeleteRun(run.jobId(), run.id()));
      } else if (run.status().finished()) {
        addHistory(run);
      } else {
        active.put(key(run), run);
      }
    }
    runSequence = runs.size();
    if (hasPending(nowMs)) {
      outbox.add(new Revive());
    }
  }

  // ---- jobs ----

  public JobSpec addJob(JobSpec spec, long nowMs) {
    try {
      spec.validate();
    } catch (IllegalArgumentException e) {
      throw new Refusal(Refusal.Kind.INVALID, e.getMessage());
    }
    if (jobs.containsKey(spec.id())) {
      throw new Refusal(Refusal.Kind.CONFLICT, "job '" + spec.id() + "' exists; delete it"
          + " first or choose another id");
    }
    if (jobs.size() >= settings.jobsMax()) {
      throw new Refusal(Refusal.Kind.CONFLICT, "there are " + jobs.size() + " jobs, the limit;"
          + " delete some first");
    }
    jobs.put(spec.id(), spec);
    scheduleNext(spec, nowMs);
    outbox.add(new PutJob(spec));
    return spec;
  }

  /** Removes a job, killing its active runs. */
  public JobSpec removeJob(String jobId) {
    JobSpec spec = job(jobId).orElseThrow(() -> notFound(jobId));
    jobs.remove(jobId);
    nextDueMs.remove(jobId);
    history.remove(jobId);
    for (JobRun run : List.copyOf(active.values())) {
      if (run.jobId().equals(jobId)) {
        active.remove(key(run));
        waiting.remove(key(run));
        if (!run.taskId().isEmpty()) {
          outbox.add(new Kill(run.taskId(), run.agentId()));
        }
      }
    }
    outbox.add(new DeleteJob(jobId));
    return spec;
  }

  public Optional<JobSpec> job(String jobId) {
    return Optional.ofNullable(jobs.get(jobId));
  }

  public List<JobSpec> jobs() {
    return List.copyOf(jobs.values());
  }

  /** When the job's schedule next triggers, if it has an enabled one. */
  public Optional<Long> nextRunMs(String jobId) {
    return Optional.ofNullable(nextDueMs.get(jobId));
  }

  // ---- runs ----

  /** Starts a run now ({@code trigger} = {@code manual} or a schedule id). */
  public JobRun startRun(String jobId, String trigger, long nowMs) {
    JobSpec spec = job(jobId).orElseThrow(() -> notFound(jobId));
    if (active.size() >= settings.activeRunsMax()) {
      throw new Refusal(Refusal.Kind.CONFLICT, "there are " + active.size() + " active runs,"
          + " the limit; wait for some to finish");
    }
    String id = RUN_ID.format(Instant.ofEpochMilli(nowMs)) + "-" + (++runSequence);
    JobRun run = new JobRun(id, spec.id(), Status.INITIAL, trigger, nowMs, 0, 1, 0, "", "", "",
        "waiting for an offer");
    active.put(key(run), run);
    outbox.add(new PutRun(run));
    outbox.add(new Revive());
    return run;
  }

  /** Runs of a job, active first then finished (newest first). */
  public List<JobRun> runs(String jobId) {
    job(jobId).orElseThrow(() -> notFound(jobId));
    List<JobRun> out = new ArrayList<>();
    for (JobRun run : active.values()) {
      if (run.jobId().equals(jobId)) {
        String why = waiting.get(key(run));
        out.add(why == null || run.status() != Status.INITIAL ? run : run.with(run.status(),
            why));
      }
    }
    List<JobRun> finished = new ArrayList<>(history.getOrDefault(jobId, new ArrayDeque<>()));
    finished.sort(Comparator.comparingLong(JobRun::createdAtMs).reversed());
    out.addAll(finished);
    return out;
  }

  public List<JobRun> activeRuns() {
    return List.copyOf(active.values());
  }

  /** Whether a run waits for an offer now. */
  public boolean hasPending(long nowMs) {
    return active.values().stream().anyMatch(r -> pending(r, nowMs));
  }

  // ---- time ----

  /** Time passed: scheduled runs that are due start; retries whose backoff ended want offers. */
  public void tick(long nowMs) {
    for (JobSpec spec : List.copyOf(jobs.values())) {
      Long due = nextDueMs.get(spec.id());
      if (due == null || due > nowMs) {
        continue;
      }
      JobSpec.ScheduleSpec schedule = spec.schedule().orElseThrow();
      boolean running = active.values().stream().anyMatch(r -> r.jobId().equals(spec.id()));
      if (schedule.concurrencyPolicy() == ConcurrencyPolicy.FORBID && running) {
        // Skipped, as Metronome does: the next trigger is computed from now.
        scheduleNext(spec, nowMs);
        continue;
      }
      if (active.size() < settings.activeRunsMax()) {
        startRun(spec.id(), schedule.id(), nowMs);
      }
      scheduleNext(spec, nowMs);
    }
    // A retry whose backoff just ended (or a run created above) wants offers: the master may be
    // holding them back behind a decline filter.
    boolean pendingNow = hasPending(nowMs);
    if (pendingNow && !pendingAtLastTick) {
      outbox.add(new Revive());
    }
    pendingAtLastTick = pendingNow;
  }

  // ---- offers ----

  /** Matches pending runs (oldest first) to offers; what is left is declined. */
  public OfferDecision offers(List<OfferView> offers, long nowMs) {
    List<JobRun> pending = active.values().stream().filter(r -> pending(r, nowMs))
        .sorted(Comparator.comparingLong(JobRun::createdAtMs)).toList();
    List<Launch> launches = new ArrayList<>();
    List<String> declined = new ArrayList<>();
    Map<String, Boolean> placed = new HashMap<>();
    for (OfferView offer : offers) {
      double cpus = offer.cpus();
      double mem = offer.memMb();
      double disk = offer.diskMb();
      boolean used = false;
      for (JobRun run : pending) {
        if (placed.containsKey(run.id())) {
          continue;
        }
        JobSpec spec = jobs.get(run.jobId());
        String misfit = misfit(spec, offer, cpus, mem, disk);
        if (misfit != null) {
          waiting.put(key(run), "waiting for an offer; last refused: " + misfit);
          continue;
        }
        cpus -= spec.cpus();
        mem -= spec.memMb();
        disk -= spec.diskMb();
        String taskId = spec.id() + "_" + run.id() + "." + run.attempt();
        JobRun launched = run.launched(taskId, offer.agentId());
        active.put(key(launched), launched);
        waiting.remove(key(launched));
        placed.put(run.id(), true);
        launches.add(new Launch(offer.offerId(), offer.agentId(), launched, spec));
        outbox.add(new PutRun(launched));
        used = true;
      }
      if (!used) {
        declined.add(offer.offerId());
      }
    }
    return new OfferDecision(launches, declined);
  }

  /** Why the offer (with what is left of it) cannot take a run of the job, or null. */
  static String misfit(JobSpec spec, OfferView offer, double cpus, double mem, double disk) {
    if (cpus + 1e-9 < spec.cpus()) {
      return "agent " + offer.hostname() + " offers " + cpus + " cpus, job needs " + spec.cpus();
    }
    if (mem + 1e-9 < spec.memMb()) {
      return "agent " + offer.hostname() + " offers " + mem + " MiB mem, job needs "
          + spec.memMb();
    }
    if (disk + 1e-9 < spec.diskMb()) {
      return "agent " + offer.hostname() + " offers " + disk + " MiB disk, job needs "
          + spec.diskMb();
    }
    for (JobSpec.Constraint c : spec.constraints()) {
      if (!c.matches(offer.hostname(), offer.attributes())) {
        return "agent " + offer.hostname() + " fails constraint " + c.attribute() + " "
            + c.operator() + " " + c.value();
      }
    }
    return null;
  }

  // ---- task status ----

  /** A status update (or reconciliation answer) for a task of a run. */
  public void taskStatus(String taskId, String state, String message, long nowMs) {
    JobRun run = active.values().stream().filter(r -> r.taskId().equals(taskId)).findFirst()
        .orElse(null);
    if (run == null) {
      return;
    }
    JobRun seen = run.taskState(state, message.isEmpty() ? state : message);
    switch (state) {
      case "TASK_STAGING", "TASK_STARTING", "TASK_UNREACHABLE" -> update(seen);
      case "TASK_RUNNING" -> update(seen.with(Status.ACTIVE, "running"));
      case "TASK_FINISHED" -> finish(seen.finish(Status.SUCCESS, nowMs, "finished"));
      default -> failed(seen, state, message, nowMs);
    }
  }

  private void failed(JobRun run, String state, String message, long nowMs) {
    JobSpec spec = jobs.get(run.jobId());
    String why = state + (message.isEmpty() ? "" : ": " + message);
    if (run.attempt() <= spec.maxRetries()) {
      long delay = retryDelayMs(spec, run.attempt());
      update(run.retry(nowMs + delay, "attempt " + run.attempt() + " failed (" + why
          + "); retry in " + delay + " ms"));
      return;
    }
    finish(run.finish(Status.FAILED, nowMs, "attempt " + run.attempt() + " failed (" + why
        + "); no retries left"));
  }

  /** The delay before retry number {@code attempt} (1-based): backoff * 2^(attempt-1), capped. */
  long retryDelayMs(JobSpec spec, int attempt) {
    long delay = spec.retryBackoffSeconds() * 1000;
    for (int i = 1; i < attempt && delay < settings.retryBackoffMaxMs(); i++) {
      delay *= 2;
    }
    return Math.min(delay, settings.retryBackoffMaxMs());
  }

  /** Task ids of the runs that have one, with their agents (for explicit reconciliation). */
  public Map<String, String> activeTasks() {
    Map<String, String> out = new LinkedHashMap<>();
    for (JobRun run : active.values()) {
      if (!run.taskId().isEmpty()) {
        out.put(run.taskId(), run.agentId());
      }
    }
    return out;
  }

  // ---- helpers ----

  private void update(JobRun run) {
    active.put(key(run), run);
    outbox.add(new PutRun(run));
  }

  private void finish(JobRun run) {
    active.remove(key(run));
    waiting.remove(key(run));
    outbox.add(new PutRun(run));
    addHistory(run);
  }

  private void addHistory(JobRun run) {
    Deque<JobRun> runs = history.computeIfAbsent(run.jobId(), id -> new ArrayDeque<>());
    runs.addLast(run);
    while (runs.size() > settings.historyMax()) {
      JobRun old = runs.removeFirst();
      outbox.add(new DeleteRun(old.jobId(), old.id()));
    }
  }

  private void scheduleNext(JobSpec spec, long nowMs) {
    Optional<JobSpec.ScheduleSpec> schedule = spec.schedule().filter(
        JobSpec.ScheduleSpec::enabled);
    if (schedule.isEmpty()) {
      nextDueMs.remove(spec.id());
      return;
    }
    Optional<Instant> next = schedule.get().parsed().next(Instant.ofEpochMilli(nowMs));
    if (next.isPresent()) {
      nextDueMs.put(spec.id(), next.get().toEpochMilli());
    } else {
      nextDueMs.remove(spec.id());
    }
  }

  private static boolean pending(JobRun run, long nowMs) {
    return run.status() == Status.INITIAL && run.notBeforeMs() <= nowMs;
  }

  private static String key(JobRun run) {
    return run.jobId() + "/" + run.id();
  }

  private static Refusal notFound(String jobId) {
    return new Refusal(Refusal.Kind.NOT_FOUND, "job '" + jobId + "' does not exist");
  }
}
