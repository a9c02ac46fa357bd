package io.cairn.marathon.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.marathon.internal.core.HealthResult;
import io.cairn.marathon.internal.core.Instance;
import io.cairn.marathon.internal.model.AppDefinition;
import io.cairn.marathon.internal.model.AppJson;
import io.cairn.marathon.internal.model.AppParser;
import io.cairn.marathon.internal.model.Iso8601;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The task JSON lists one {@code healthCheckResults} entry per check with a result (the agent's
 * for the Mesos check, the leader's for the others), and the app's healthy/unhealthy counts need
 * every check.
 */
class TaskHealthJsonTest {
  static final long T = 1_700_000_000_000L;

  static Instance instance(String id, Boolean mesosHealthy, Map<Integer, HealthResult> results) {
    return new Instance(id, "/web", "v1", "v1", "agent-1", "h1", Map.of(), List.of(31000, 31001),
        "TASK_RUNNING", mesosHealthy, T, T, false, 0, results);
  }

  @Test
  void everyCheckIsShownAndCountsNeedAllChecksToPass() throws Exception {
    AppDefinition app = AppParser.parse(AppJson.MAPPER.readTree(("{'id':'/web','cmd':'x',"
        + "'portDefinitions':[{'port':0},{'port':0}],'healthChecks':[{'protocol':'HTTP'},"
        + "{'protocol':'MESOS_TCP','portIndex':1},{'protocol':'TCP','portIndex':1}]}")
        .replace('\'', '"')), "/");
    HealthResult passing = new HealthResult(true, 0, T + 1000, T + 5000, 0, null);
    HealthResult failing = new HealthResult(false, 2, T + 1000, T + 1000, T + 9000,
        "GET http://h1:31000/ answered HTTP 500");
    Instance healthy = instance("web.instance-a._app.1", true, Map.of(0, passing, 2, passing));
    Instance unhealthy = instance("web.instance-b._app.1", true, Map.of(0, failing, 2, passing));
    Instance unknown = instance("web.instance-c._app.1", null, Map.of(0, passing));

    ObjectNode task = ApiJson.task(unhealthy, app);
    JsonNode results = task.get("healthCheckResults");
    assertEquals(3, results.size());
    JsonNode http = results.get(0);
    assertEquals(false, http.get("alive").asBoolean());
    assertEquals(2, http.get("consecutiveFailures").asInt());
    assertEquals(Iso8601.format(T + 1000), http.get("firstSuccess").asText());
    assertEquals(Iso8601.format(T + 1000), http.get("lastSuccess").asText());
    assertEquals(Iso8601.format(T + 9000), http.get("lastFailure").asText());
    assertEquals("GET http://h1:31000/ answered HTTP 500", http.get("lastFailureCause").asText());
    assertEquals("web.instance-b._app.1", http.get("instanceId").asText());
    assertEquals(true, results.get(1).get("alive").asBoolean(), "the agent's check");
    assertTrue(results.get(2).get("lastFailure").isNull());
    assertTrue(results.get(2).get("lastFailureCause").isNull());
    assertEquals(1, ApiJson.task(unknown, app).get("healthCheckResults").size(),
        "checks without a result are not listed");

    ObjectNode info = ApiJson.appInfo(app, List.of(healthy, unhealthy, unknown), List.of(), null,
        Set.of());
    assertEquals(3, info.get("tasksRunning").asInt());
    assertEquals(1, info.get("tasksHealthy").asInt());
    assertEquals(1, info.get("tasksUnhealthy").asInt());
  }
}
