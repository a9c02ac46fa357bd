package io.cairn.marathon.internal.core;

import io.cairn.marathon.internal.model.AppDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A deployment: the steps that take the apps from {@code original} to {@code target}
 * (Marathon's {@code DeploymentPlan}). Steps run one after another; the actions of a step run
 * together. Order: stop removed apps; start new apps (at 0 instances); then, layer by layer in
 * dependency order, scale new and scale-only-changed apps and restart apps whose configuration
 * changed. Immutable; {@code currentStep} counts the finished steps.
 *
 * @param id the plan's UUID
 * @param version the target version (ISO-8601)
 * @param original the affected apps before (absent = new)
 * @param target the affected apps after (absent = removed)
 * @param steps the steps
 * @param currentStep how many steps are finished
 */
public record DeploymentPlan(String id, String version, Map<String, AppDefinition> original,
    Map<String, AppDefinition> target, List<Step> steps, int currentStep) {

  public DeploymentPlan {
    Objects.requireNonNull(id, "id");
    original = Map.copyOf(original);
    target = Map.copyOf(target);
    steps = List.copyOf(steps);
  }

  /** What happens to one app in a step. */
  public enum ActionType { StartApplication, StopApplication, ScaleApplication,
    RestartApplication }

  /** One action. */
  public record Action(ActionType type, String appId) {}

  /** Actions run together. */
  public record Step(List<Action> actions) {
    public Step {
      actions = List.copyOf(actions);
    }
  }

  /** The ids of every app the plan touches, sorted. */
  public Set<String> affectedApps() {
    Set<String> ids = new TreeSet<>(original.keySet());
    ids.addAll(target.keySet());
    return ids;
  }

  /** Whether every step is finished. */
  public boolean finished() {
    return currentStep >= steps.size();
  }

  /** The actions of the running step (empty when finished). */
  public List<Action> currentActions() {
    return finished() ? List.of() : steps.get(currentStep).actions();
  }

  /** The plan with one more step finished. */
  public DeploymentPlan advance() {
    return new DeploymentPlan(id, version, original, target, steps, currentStep + 1);
  }

  /**
   * The plan from {@code before} to {@code after} (whole app maps; unchanged apps are left out).
   */
  public static DeploymentPlan compute(String id, String version,
      Map<String, AppDefinition> before, Map<String, AppDefinition> after) {
    Map<String, AppDefinition> original = new TreeMap<>();
    Map<String, AppDefinition> target = new TreeMap<>();
    List<Action> stops = new ArrayList<>();
    List<Action> starts = new ArrayList<>();
    for (String appId : new TreeSet<>(before.keySet())) {
      if (!after.containsKey(appId)) {
        original.put(appId, before.get(appId));
        stops.add(new Action(ActionType.StopApplication, appId));
      }
    }
    Map<String, ActionType> changes = new TreeMap<>();
    for (AppDefinition app : after.values()) {
      AppDefinition old = before.get(app.id());
      if (old == null) {
        target.put(app.id(), app);
        starts.add(new Action(ActionType.StartApplication, app.id()));
        changes.put(app.id(), ActionType.ScaleApplication);
      } else if (!old.equals(app)) {
        original.put(app.id(), old);
        target.put(app.id(), app);
        boolean restart = !old.sameConfig(app) || !Objects.equals(configVersion(old),
            configVersion(app));
        changes.put(app.id(), restart ? ActionType.RestartApplication
            : ActionType.ScaleApplication);
      }
    }
    List<Step> steps = new ArrayList<>();
    if (!stops.isEmpty()) {
      steps.add(new Step(stops));
    }
    if (!starts.isEmpty()) {
      steps.add(new Step(starts));
    }
    for (List<String> layer : layers(changes.keySet(), after)) {
      List<Action> actions = new ArrayList<>();
      layer.forEach(appId -> actions.add(new Action(changes.get(appId), appId)));
      steps.add(new Step(actions));
    }
    return new DeploymentPlan(id, version, original, target, steps, 0);
  }

  private static String configVersion(AppDefinition app) {
    return app.versionInfo() == null ? null : app.versionInfo().lastConfigChangeAt();
  }

  /**
   * Groups the changed apps by the length of their longest dependency path (Marathon's
   * "longest path" layering): an app comes after every app it depends on.
   */
  static List<List<String>> layers(Set<String> changed, Map<String, AppDefinition> apps) {
    Map<String, Integer> depth = new HashMap<>();
    TreeMap<Integer, List<String>> byDepth = new TreeMap<>();
    for (String appId : new TreeSet<>(changed)) {
      int d = depth(appId, apps, depth, new LinkedHashSet<>());
      byDepth.computeIfAbsent(d, k -> new ArrayList<>()).add(appId);
    }
    return new ArrayList<>(byDepth.values());
  }

  private static int depth(String appId, Map<String, AppDefinition> apps,
      Map<String, Integer> memo, Set<String> visiting) {
    Integer known = memo.get(appId);
    if (known != null) {
      return known;
    }
    AppDefinition app = apps.get(appId);
    int d = 0;
    if (app != null && visiting.add(appId)) {
      for (String dependency : app.dependencies()) {
        for (String dependent : apps.keySet()) {
          if (dependent.equals(dependency) || dependent.startsWith(dependency + "/")) {
            if (!visiting.contains(dependent)) {
              d = Math.max(d, 1 + depth(dependent, apps, memo, visiting));
            }
          }
        }
      }
      visiting.remove(appId);
    }
    memo.put(appId, d);
    return d;
  }

  /** Whether the apps' dependencies form a cycle (such a group is rejected). */
  public static List<String> cycle(Map<String, AppDefinition> apps) {
    Map<String, Integer> state = new HashMap<>();
    for (String appId : new TreeSet<>(apps.keySet())) {
      List<String> path = new ArrayList<>();
      if (visit(appId, apps, state, path)) {
        return path;
      }
    }
    return List.of();
  }

  private static boolean visit(String appId, Map<String, AppDefinition> apps,
      Map<String, Integer> state, List<String> path) {
    Integer s = state.get(appId);
    if (s != null) {
      return s == 1;
    }
    state.put(appId, 1);
    path.add(appId);
    AppDefinition app = apps.get(appId);
    if (app != null) {
      for (String dependency : app.dependencies()) {
        for (String other : new TreeSet<>(apps.keySet())) {
          if ((other.equals(dependency) || other.startsWith(dependency + "/"))
              && visit(other, apps, state, path)) {
            return true;
          }
        }
      }
    }
    path.remove(path.size() - 1);
    state.put(appId, 2);
    return false;
  }
}
