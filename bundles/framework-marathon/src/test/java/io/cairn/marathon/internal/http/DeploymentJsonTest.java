package io.cairn.marathon.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.env.RandomSource;
import io.cairn.marathon.internal.core.DeploymentPlan;
import io.cairn.marathon.internal.core.MarathonCore;
import io.cairn.marathon.internal.model.AppDefinition;
import io.cairn.marathon.internal.model.AppJson;
import io.cairn.marathon.internal.model.AppParser;
import io.cairn.proto.mesos.v1.Protos.TaskInfo;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code GET /v2/deployments}: the current actions carry the tasks' readiness results. */
class DeploymentJsonTest {
  @Test
  void currentActionsShowReadinessResultsWithTheLastResponseWhenPreserved() throws Exception {
    long now = 1_700_000_000_000L;
    MarathonCore core = new MarathonCore(MarathonCore.Settings.defaults(), RandomSource.seeded(5));
    AppDefinition app = AppParser.parse(AppJson.MAPPER.readTree(("{'id':'/web','cmd':'x',"
        + "'cpus':0.1,'mem':8,'portDefinitions':[{'port':0,'name':'http-api'}],"
        + "'readinessChecks':[{'name':'warm','portName':'http-api','preserveLastResponse':true}]}")
        .replace('\'', '"')), "/");
    DeploymentPlan plan = core.deploy(new MarathonCore.Change(Map.of(app.id(), app), Set.of(),
        false), now);
    core.offers(List.of(RenderedAppCacheTest.offer("h1")), now);
    TaskInfo task = core.drain().accepts().get(0).tasks().get(0);
    core.update(TaskStatus.newBuilder().setTaskId(task.getTaskId())
        .setAgentId(task.getAgentId()).setState(TaskState.TASK_RUNNING).build(), now);
    core.readiness(task.getTaskId().getValue(), 503, "text/plain", "not yet", now);

    JsonNode d = AppJson.MAPPER.readTree(AppJson.MAPPER.writeValueAsBytes(
        ApiJson.deployment(core.deployments().get(0), core)));
    assertEquals(plan.id(), d.get("id").asText());
    assertEquals(List.of("id", "version", "affectedApps", "affectedPods", "steps",
        "currentActions", "currentStep", "totalSteps"), iterable(d.fieldNames()));
    JsonNode result = d.get("currentActions").get(0).get("readinessCheckResults").get(0);
    assertEquals("warm", result.get("name").asText());
    assertEquals(task.getTaskId().getValue(), result.get("taskId").asText());
    assertEquals(false, result.get("ready").asBoolean());
    assertEquals(503, result.get("lastResponse").get("status").asInt());
    assertEquals("text/plain", result.get("lastResponse").get("contentType").asText());
    assertEquals("not yet", result.get("lastResponse").get("body").asText());
  }

  static List<String> iterable(java.util.Iterator<String> names) {
    List<String> list = new java.util.ArrayList<>();
    names.forEachRemaining(list::add);
    return list;
  }
}
