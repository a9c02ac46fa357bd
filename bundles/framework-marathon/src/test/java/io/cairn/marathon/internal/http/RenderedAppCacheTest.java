package io.cairn.marathon.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.cairn.env.RandomSource;
import io.cairn.marathon.internal.core.MarathonCore;
import io.cairn.marathon.internal.model.AppDefinition;
import io.cairn.marathon.internal.model.AppJson;
import io.cairn.marathon.internal.model.AppParser;
import io.cairn.proto.mesos.v1.Protos.AgentID;
import io.cairn.proto.mesos.v1.Protos.FrameworkID;
import io.cairn.proto.mesos.v1.Protos.Offer;
import io.cairn.proto.mesos.v1.Protos.OfferID;
import io.cairn.proto.mesos.v1.Protos.Resource;
import io.cairn.proto.mesos.v1.Protos.TaskInfo;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import io.cairn.proto.mesos.v1.Protos.Value;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v2/apps} rendered off the loop from a snapshot and per-app cached bytes: the same
 * JSON as rendering the core directly, the same bytes while nothing changed, and only the changed
 * app re-rendered after a change.
 */
class RenderedAppCacheTest {
  final long now = 1_700_000_000_000L;
  final MarathonCore core = new MarathonCore(MarathonCore.Settings.defaults(),
      RandomSource.seeded(3));
  final RenderedAppCache cache = new RenderedAppCache();

  static AppDefinition app(String json) throws Exception {
    return AppParser.parse(AppJson.MAPPER.readTree(json.replace('\'', '"')), "/");
  }

  static Offer offer(String host) {
    return Offer.newBuilder().setId(OfferID.newBuilder().setValue("o-" + host))
        .setFrameworkId(FrameworkID.newBuilder().setValue("fw"))
        .setAgentId(AgentID.newBuilder().setValue("a-" + host)).setHostname(host)
        .addResources(scalar("cpus", 8)).addResources(scalar("mem", 8192))
        .addResources(Resource.newBuilder().setName("ports").setType(Value.Type.RANGES)
            .setRanges(Value.Ranges.newBuilder().addRange(Value.Range.newBuilder()
                .setBegin(31000).setEnd(31100)))).build();
  }

  static Resource scalar(String name, double value) {
    return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
  }

  /** What the list was before the cache: every AppInfo built from the core on the loop. */
  JsonNode direct(Set<String> embed) throws Exception {
    ArrayNode apps = JsonNodeFactory.instance.arrayNode();
    for (AppDefinition a : core.apps().values()) {
      apps.add(ApiJson.appInfo(core, a, core.instancesOf(a.id()), embed));
    }
    // Through bytes, as a client sees it (node equality tells int from long nodes).
    return AppJson.MAPPER.readTree(AppJson.MAPPER.writeValueAsBytes(
        JsonNodeFactory.instance.objectNode().set("apps", apps)));
  }

  byte[] render(Set<String> embed) {
    return cache.render(RenderedAppCache.snapshot(core), a -> true, embed);
  }

  @Test
  void rendersWhatTheCoreShowsAndReusesBytesUntilSomethingChanges() throws Exception {
    Map<String, AppDefinition> target = new TreeMap<>();
    for (String id : List.of("/g/a", "/g/b", "/h/c")) {
      AppDefinition a = app("{'id':'" + id + "','cmd':'sleep 1','instances':2,'cpus':0.1,"
          + "'mem':16,'labels':{'k':'v'}}");
      target.put(a.id(), a);
    }
    core.deploy(new MarathonCore.Change(target, Set.of(), false), now);
    core.offers(List.of(offer("h1")), now);
    List<TaskInfo> launched = core.drain().accepts().get(0).tasks();
    assertEquals(5, launched.size());

    for (Set<String> embed : List.of(Set.<String>of(), Set.of("tasks"),
        Set.of("tasks", "lastTaskFailure", "readiness"))) {
      byte[] first = render(embed);
      assertEquals(direct(embed), AppJson.MAPPER.readTree(first), "embed " + embed);
      assertSame(first, render(embed), "nothing changed: the same bytes");
    }
    assertEquals(9, cache.size(), "3 apps x 3 embed variants");

    byte[] before = render(Set.of("tasks"));
    TaskInfo task = launched.get(0);
    core.update(TaskStatus.newBuilder().setTaskId(task.getTaskId()).setAgentId(task.getAgentId())
        .setState(TaskState.TASK_RUNNING).build(), now + 1000);
    core.drain();
    byte[] after = render(Set.of("tasks"));
    assertNotSame(before, after);
    JsonNode body = AppJson.MAPPER.readTree(after);
    assertEquals(direct(Set.of("tasks")), body);
    assertEquals(1, body.get("apps").get(0).get("tasksRunning").asInt());
    assertEquals("TASK_RUNNING", body.get("apps").get(0).get("tasks").get(0).get("state")
        .asText());
    assertEquals(1, body.get("apps").get(0).get("deployments").size(), "still deploying");
  }

  @Test
  void anEmptyListAndAFilteredList() throws Exception {
    assertEquals("{\"apps\":[]}", new String(render(Set.of()), "UTF-8"));
    AppDefinition a = app("{'id':'/only','cmd':'x','cpus':0.1,'mem':16}");
    AppDefinition b = app("{'id':'/other','cmd':'y','cpus':0.1,'mem':16}");
    core.deploy(new MarathonCore.Change(Map.of(a.id(), a, b.id(), b), Set.of(), false), now);
    JsonNode listed = AppJson.MAPPER.readTree(cache.render(RenderedAppCache.snapshot(core),
        app -> app.id().equals("/other"), Set.of()));
    assertEquals(1, listed.get("apps").size());
    assertEquals("/other", listed.get("apps").get(0).get("id").asText());
  }
}
