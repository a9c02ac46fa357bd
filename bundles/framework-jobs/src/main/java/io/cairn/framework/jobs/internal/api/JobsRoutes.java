package io.cairn.framework.jobs.internal.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.framework.Leadership;
import io.cairn.framework.jobs.internal.api.JobsHttpServer.Reply;
import io.cairn.framework.jobs.internal.component.JobsFramework;
import io.cairn.framework.jobs.internal.core.JobRun;
import io.cairn.framework.jobs.internal.core.JobSpec;
import io.cairn.framework.jobs.internal.core.JobsCore;
import io.cairn.framework.jobs.internal.core.Refusal;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * The routes of the jobs REST API (Metronome's v1 shape): {@code GET|POST /v1/jobs}, {@code
 * GET|DELETE /v1/jobs/{id}}, {@code GET|POST /v1/jobs/{id}/runs}, {@code GET
 * /v1/jobs/{id}/runs/{runId}}. A standby answers 307 to the leader (or 503 while none is known).
 */
public final class JobsRoutes implements JobsHttpServer.Routes {
  private final JobsFramework jobs;

  public JobsRoutes(JobsFramework jobs) {
    this.jobs = jobs;
  }

  @Override
  public CompletableFuture<Reply> handle(String method, String path, QueryStringDecoder query,
      byte[] body) {
    String[] p = path.replaceAll("/+$", "").split("/");
    // p[0] is "" (leading slash).
    if (p.length < 3 || !p[1].equals("v1") || !p[2].equals("jobs")) {
      return done(Reply.error(404, "no endpoint " + path + "; the jobs API is under /v1/jobs"));
    }
    if (p.length == 3) {
      return switch (method) {
        case "GET" -> on(path, core -> Reply.json(200, JobsHttpServer.array(core.jobs().stream()
            .map(spec -> withNext(core, spec)).toList())));
        case "POST" -> create(path, body);
        default -> done(Reply.error(405, method + " is not allowed on /v1/jobs; use GET or POST"));
      };
    }
    String id = p[3];
    if (p.length == 4) {
      return switch (method) {
        case "GET" -> on(path, core -> Reply.json(200, withNext(core, core.job(id).orElseThrow(
            () -> new Refusal(Refusal.Kind.NOT_FOUND, "job '" + id + "' does not exist")))));
        case "DELETE" -> on(path, core -> Reply.json(200, JobsJson.spec(core.removeJob(id))));
        default -> done(Reply.error(405, method + " is not allowed on /v1/jobs/" + id
            + "; use GET or DELETE"));
      };
    }
    if (!p[4].equals("runs") || p.length > 6) {
      return done(Reply.error(404, "no endpoint " + path));
    }
    if (p.length == 6) {
      String runId = p[5];
      return method.equals("GET") ? on(path, core -> Reply.json(200, JobsJson.run(core.runs(id)
          .stream().filter(r -> r.id().equals(runId)).findFirst().orElseThrow(() -> new Refusal(
              Refusal.Kind.NOT_FOUND, "job '" + id + "' has no run '" + runId + "'")))))
          : done(Reply.error(405, method + " is not allowed on a run; use GET"));
    }
    return switch (method) {
      case "GET" -> on(path, core -> Reply.json(200, JobsHttpServer.array(core.runs(id).stream()
          .map(JobsJson::run).toList())));
      case "POST" -> on(path, core -> {
        JobRun run = core.startRun(id, "manual", jobs.nowMs());
        return new Reply(201, JobsJson.run(run), "/v1/jobs/" + id + "/runs/" + run.id());
      });
      default -> done(Reply.error(405, method + " is not allowed on runs; use GET or POST"));
    };
  }

  private CompletableFuture<Reply> create(String path, byte[] body) {
    JobSpec spec;
    try {
      spec = JobsJson.spec(body);
    } catch (IllegalArgumentException e) {
      return done(Reply.error(422, "job refused: " + e.getMessage()));
    }
    return on(path, core -> new Reply(201, JobsJson.spec(core.addJob(spec, jobs.nowMs())),
        "/v1/jobs/" + spec.id()));
  }

  private static ObjectNode withNext(JobsCore core, JobSpec spec) {
    ObjectNode node = JobsJson.spec(spec);
    core.nextRunMs(spec.id()).ifPresent(ms -> node.put("nextRunAt",
        Instant.ofEpochMilli(ms).toString()));
    List<String> active = new ArrayList<>();
    core.activeRuns().stream().filter(r -> r.jobId().equals(spec.id())).forEach(r -> active.add(
        r.id()));
    node.set("activeRuns", JobsHttpServer.array(active.stream().map(a -> (com.fasterxml.jackson
        .databind.JsonNode) JobsJson.MAPPER.getNodeFactory().textNode(a)).toList()));
    return node;
  }

  private CompletableFuture<Reply> on(String path, Function<JobsCore, Reply> action) {
    return jobs.call(action).handle((reply, error) -> {
      if (error == null) {
        return reply;
      }
      Throwable cause = error instanceof CompletionException ? error.getCause() : error;
      if (cause instanceof Refusal refusal) {
        return Reply.error(switch (refusal.kind()) {
          case NOT_FOUND -> 404;
          case CONFLICT -> 409;
          case INVALID -> 422;
        }, refusal.getMessage());
      }
      if (cause instanceof JobsFramework.NotLeading notLeading) {
        Leadership l = notLeading.leadership();
        if (!l.leading() && l.leaderKnown() && !l.leaderAddress().isEmpty()) {
          return new Reply(307, JobsJson.MAPPER.createObjectNode().put("message",
              cause.getMessage()), "http://" + l.leaderAddress() + path);
        }
        return Reply.error(503, cause.getMessage());
      }
      if (cause instanceof IllegalArgumentException) {
        return Reply.error(422, cause.getMessage());
      }
      return Reply.error(500, "the jobs framework failed: " + cause);
    });
  }

  private static CompletableFuture<Reply> done(Reply reply) {
    return CompletableFuture.completedFuture(reply);
  }
}
