package io.cairn.marathon.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.marathon.internal.core.DeploymentPlan;
import io.cairn.marathon.internal.core.Instance;
import io.cairn.marathon.internal.core.MarathonCore;
import io.cairn.marathon.internal.model.AppDefinition;
import io.cairn.marathon.internal.model.AppJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * {@code GET /v2/apps} without loading the Marathon loop: on the loop only an immutable
 * {@link Snapshot} is taken (the apps and their instances are immutable values, so that is a few
 * list copies), and only when the core changed since the last one
 * ({@link io.cairn.marathon.internal.driver.MarathonDriver.Reads}); the JSON is rendered later, on the Netty thread that writes the response, from
 * per-app bytes cached by what they were rendered from (and the whole list's bytes reused while
 * every app's are). An app's entry is reused while its
 * definition and instance objects are the same ones (the core replaces, never mutates, them), its
 * deployments and its last task failure are unchanged; so with 1,000 apps a list costs the copy
 * of the cached bytes plus the apps that changed.
 *
 * <p>Threading: {@link #snapshot} on the Marathon loop; {@link #render} on any thread (entries are
 * immutable, the map is concurrent; two threads may render one app at once, the last one wins).
 * Bounded: the cache is cleared when it holds more than four entries per app plus
 * {@value #SLACK_ENTRIES} (apps removed, embed variants).
 */
final class RenderedAppCache {
  static final int SLACK_ENTRIES = 64;
  private static final byte[] OPEN = "{\"apps\":[".getBytes(StandardCharsets.UTF_8);
  private static final byte[] CLOSE = "]}".getBytes(StandardCharsets.UTF_8);

  /** One app as the core held it when the snapshot was taken. */
  record AppView(AppDefinition app, List<Instance> instances, List<String> deploymentIds,
      ObjectNode lastTaskFailure) {}

  /** Every app, in id order. */
  record Snapshot(List<AppView> apps) {}

  private record Entry(AppView view, byte[] json) {}

  /** A whole list as last rendered, per embed variant (at most eight). */
  private record Whole(List<Entry> entries, byte[] json) {}

  private final Map<String, Entry> cache = new ConcurrentHashMap<>();
  private final Map<String, Whole> lastLists = new ConcurrentHashMap<>();

  /** On the loop: every app, with what its AppInfo is made of. */
  static Snapshot snapshot(MarathonCore core) {
    Map<String, List<String>> deploymentIds = new HashMap<>();
    for (DeploymentPlan plan : core.deployments()) {
      for (String appId : plan.affectedApps()) {
        deploymentIds.computeIfAbsent(appId, k -> new ArrayList<>()).add(plan.id());
      }
    }
    List<AppView> views = new ArrayList<>();
    for (AppDefinition app : core.apps().values()) {
      views.add(new AppView(app, core.instancesOf(app.id()),
          List.copyOf(deploymentIds.getOrDefault(app.id(), List.of())),
          core.lastTaskFailure(app.id())));
    }
    return new Snapshot(List.copyOf(views));
  }

  /** Off the loop: {@code {"apps":[...]}} as bytes (the same array while nothing changed). */
  byte[] render(Snapshot snapshot, Predicate<AppDefinition> include, Set<String> embed) {
    if (cache.size() > 4 * snapshot.apps().size() + SLACK_ENTRIES) {
      cache.clear();
    }
    String embedKey = embedKey(embed);
    List<Entry> entries = new ArrayList<>(snapshot.apps().size());
    int length = OPEN.length + CLOSE.length;
    for (AppView view : snapshot.apps()) {
      if (!include.test(view.app())) {
        continue;
      }
      String key = view.app().id() + "\n" + embedKey;
      Entry entry = cache.get(key);
      if (entry == null || !same(entry.view(), view)) {
        entry = new Entry(view, bytes(view, embed));
        cache.put(key, entry);
      }
      entries.add(entry);
      length += entry.json().length + 1;
    }
    Whole previous = lastLists.get(embedKey);
    if (previous != null && sameEntries(previous.entries(), entries)) {
      return previous.json(); // nothing changed: no copy, no garbage
    }
    byte[] out = new byte[length - (entries.isEmpty() ? 0 : 1)];
    System.arraycopy(OPEN, 0, out, 0, OPEN.length);
    int at = OPEN.length;
    for (int i = 0; i < entries.size(); i++) {
      if (i > 0) {
        out[at++] = ',';
      }
      byte[] part = entries.get(i).json();
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    System.arraycopy(CLOSE, 0, out, at, CLOSE.length);
    lastLists.put(embedKey, new Whole(entries, out));
    return out;
  }

  /** The embeds that change an AppInfo (the others are ignored, as Marathon ignores them). */
  private static String embedKey(Set<String> embed) {
    return (embed.contains("tasks") ? "t" : "") + (embed.contains("lastTaskFailure") ? "f" : "")
        + (embed.contains("readiness") ? "r" : "");
  }

  private static boolean sameEntries(List<Entry> a, List<Entry> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) != b.get(i)) {
        return false;
      }
    }
    return true;
  }

  /** Cached entries (tests). */
  int size() {
    return cache.size();
  }

  private static byte[] bytes(AppView view, Set<String> embed) {
    try {
      return AppJson.MAPPER.writeValueAsBytes(ApiJson.appInfo(view.app(), view.instances(),
          view.deploymentIds(), view.lastTaskFailure(), embed));
    } catch (IOException e) {
      throw new UncheckedIOException("could not render app " + view.app().id(), e);
    }
  }

  /** Whether two views render alike: the same immutable objects, equal deployment ids. */
  private static boolean same(AppView a, AppView b) {
    if (a.app() != b.app() || a.lastTaskFailure() != b.lastTaskFailure()
        || a.instances().size() != b.instances().size()
        || !a.deploymentIds().equals(b.deploymentIds())) {
      return false;
    }
    for (int i = 0; i < a.instances().size(); i++) {
      if (a.instances().get(i) != b.instances().get(i)) {
        return false;
      }
    }
    return true;
  }
}
