package io.cairn.framework.jobs.internal.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.framework.jobs.internal.core.JobRun;
import io.cairn.framework.jobs.internal.core.JobSpec;
import io.cairn.framework.jobs.internal.core.JobSpec.ConcurrencyPolicy;
import io.cairn.framework.jobs.internal.core.JobSpec.Constraint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Job specs and runs as JSON in Metronome's shape ({@code id}, {@code description}, {@code run:
 * {cmd, cpus, mem, disk, maxRetries, retryBackoffSeconds, restart, placement: {constraints}}},
 * {@code schedules: [{id, cron, timezone, concurrencyPolicy, enabled}]}), for the REST API and for
 * storage in ZooKeeper. A schedule's {@code cron} may also hold an ISO 8601 repeating interval
 * ({@code R/2026-11-24T10:00:00Z/PT1H}), or give it as {@code iso8601}. Bad input is refused with
 * an {@link IllegalArgumentException} naming the field.
 */
public final class JobsJson {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private JobsJson() {}

  /** Parses a job spec (not yet validated: {@link JobSpec#validate} does that). */
  public static JobSpec spec(byte[] json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("the body is not JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("the body must be a JSON object with id and run");
    }
    JsonNode run = root.path("run");
    if (!run.isObject()) {
      throw new IllegalArgumentException("run is missing; give run.cmd, run.cpus and run.mem");
    }
    int retries = run.has("maxRetries") ? intField(run, "maxRetries")
        : run.path("restart").path("policy").asText("NEVER").equals("ON_FAILURE") ? 3 : 0;
    List<Constraint> constraints = new ArrayList<>();
    for (JsonNode c : run.path("placement").path("constraints")) {
      String op = c.path("operator").asText("").toUpperCase(Locale.ROOT);
      Constraint.Operator operator;
      try {
        operator = Constraint.Operator.valueOf(op.equals("IS") ? "EQ" : op);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("constraint operator '" + op + "' is not one of EQ,"
            + " LIKE, UNLIKE", e);
      }
      constraints.add(new Constraint(c.path("attribute").asText(""), operator,
          c.path("value").asText("")));
    }
    return new JobSpec(text(root, "id"), root.path("description").asText(""), text(run, "cmd"),
        number(run, "cpus", 1.0), number(run, "mem", 128), number(run, "disk", 0), retries,
        run.has("retryBackoffSeconds") ? intField(run, "retryBackoffSeconds") : 10, constraints,
        schedule(root.path("schedules")));
  }

  private static Optional<JobSpec.ScheduleSpec> schedule(JsonNode schedules) {
    if (schedules.isMissingNode() || schedules.isNull() || schedules.isEmpty()) {
      return Optional.empty();
    }
    if (!schedules.isArray() || schedules.size() != 1) {
      throw new IllegalArgumentException("schedules must be an array of at most one schedule");
    }
    JsonNode s = schedules.get(0);
    String expression = s.has("iso8601") ? s.path("iso8601").asText("") : s.path("cron")
        .asText("");
    String policy = s.path("concurrencyPolicy").asText("ALLOW").toUpperCase(Locale.ROOT);
    ConcurrencyPolicy concurrency;
    try {
      concurrency = ConcurrencyPolicy.valueOf(policy);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("schedules[0].concurrencyPolicy '" + policy + "' is not"
          + " ALLOW or FORBID", e);
    }
    return Optional.of(new JobSpec.ScheduleSpec(s.path("id").asText("default"), expression,
        s.path("timezone").asText("UTC"), concurrency, s.path("enabled").asBoolean(true)));
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    if (!v.isTextual()) {
      return null;
    }
    return v.asText();
  }

  private static double number(JsonNode node, String field, double otherwise) {
    JsonNode v = node.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return otherwise;
    }
    if (!v.isNumber()) {
      throw new IllegalArgumentException("run." + field + " must be a number, was " + v);
    }
    return v.asDouble();
  }

  private static int intField(JsonNode node, String field) {
    JsonNode v = node.path(field);
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      throw new IllegalArgumentException("run." + field + " must be an integer, was " + v);
    }
    return v.asInt();
  }

  /** A job spec as Metronome-like JSON. */
  public static ObjectNode spec(JobSpec spec) {
    ObjectNode root = MAPPER.createObjectNode().put("id", spec.id())
        .put("description", spec.description());
    ObjectNode run = root.putObject("run").put("cmd", spec.cmd()).put("cpus", spec.cpus())
        .put("mem", spec.memMb()).put("disk", spec.diskMb()).put("maxRetries", spec.maxRetries())
        .put("retryBackoffSeconds", spec.retryBackoffSeconds());
    run.putObject("restart").put("policy", spec.maxRetries() > 0 ? "ON_FAILURE" : "NEVER");
    ArrayNode constraints = run.putObject("placement").putArray("constraints");
    for (Constraint c : spec.constraints()) {
      constraints.addObject().put("attribute", c.attribute()).put("operator",
          c.operator().name()).put("value", c.value());
    }
    ArrayNode schedules = root.putArray("schedules");
    spec.schedule().ifPresent(s -> schedules.addObject().put("id", s.id())
        .put("cron", s.expression()).put("timezone", s.timeZone())
        .put("concurrencyPolicy", s.concurrencyPolicy().name()).put("enabled", s.enabled()));
    return root;
  }

  /** A run as Metronome-like JSON (times as ISO 8601 instants). */
  public static ObjectNode run(JobRun run) {
    ObjectNode node = MAPPER.createObjectNode().put("id", run.id()).put("jobId", run.jobId())
        .put("status", run.status().name()).put("trigger", run.trigger())
        .put("createdAt", Instant.ofEpochMilli(run.createdAtMs()).toString())
        .put("attempt", run.attempt()).put("message", run.message());
    if (run.finishedAtMs() > 0) {
      node.put("completedAt", Instant.ofEpochMilli(run.finishedAtMs()).toString());
    } else {
      node.putNull("completedAt");
    }
    if (run.notBeforeMs() > 0) {
      node.put("notBefore", Instant.ofEpochMilli(run.notBeforeMs()).toString());
    }
    ArrayNode tasks = node.putArray("tasks");
    if (!run.taskId().isEmpty()) {
      tasks.addObject().put("id", run.taskId()).put("status", run.lastTaskState())
          .put("agentId", run.agentId());
    }
    return node;
  }

  /** A stored run back from its JSON (the storage format is {@link #runRecord}). */
  public static JobRun runFromRecord(byte[] json) throws java.io.IOException {
    JsonNode n = MAPPER.readTree(json);
    return new JobRun(n.path("id").asText(), n.path("jobId").asText(),
        JobRun.Status.valueOf(n.path("status").asText()), n.path("trigger").asText(),
        n.path("createdAtMs").asLong(), n.path("finishedAtMs").asLong(), n.path("attempt")
        .asInt(1), n.path("notBeforeMs").asLong(), n.path("taskId").asText(), n.path("agentId")
        .asText(), n.path("lastTaskState").asText(), n.path("message").asText());
  }

  /** A run in its storage format: every field, times in epoch ms. */
  public static byte[] runRecord(JobRun run) {
    ObjectNode n = MAPPER.createObjectNode().put("id", run.id()).put("jobId", run.jobId())
        .put("status", run.status().name()).put("trigger", run.trigger())
        .put("createdAtMs", run.createdAtMs()).put("finishedAtMs", run.finishedAtMs())
        .put("attempt", run.attempt()).put("notBeforeMs", run.notBeforeMs())
        .put("taskId", run.taskId()).put("agentId", run.agentId())
        .put("lastTaskState", run.lastTaskState()).put("message", run.message());
    return bytes(n);
  }

  public static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("JSON tree not writable", e);
    }
  }
}
