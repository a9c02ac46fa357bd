package io.cairn.marathon.internal.core;

import io.cairn.marathon.internal.model.AppDefinition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Marathon's rolling replacement ({@code TaskReplaceActor}) as pure functions of the live
 * instances: {@code minHealthy = ceil(n * minimumHealthCapacity)} healthy instances stay up;
 * at most {@code maxCapacity = floor(n * (1 + maximumOverCapacity))} instances run (one more when
 * the two are equal, so the restart can progress); each new instance that becomes healthy lets
 * one more old one go. Old means launched with another {@code lastConfigChangeAt}.
 */
final class RollingRestart {
  private RollingRestart() {}

  static int minHealthy(AppDefinition app) {
    return (int) Math.ceil(app.instances() * app.upgradeStrategy().minimumHealthCapacity()
        - 1e-9);
  }

  static int maxCapacity(AppDefinition app) {
    int max = (int) Math.floor(app.instances()
        * (1 + app.upgradeStrategy().maximumOverCapacity()) + 1e-9);
    return minHealthy(app) == max ? max + 1 : max;
  }

  /**
   * The old instances to kill now: unhealthy ones, then healthy ones above minHealthy. A new
   * instance counts once {@code healthy} (running, and every check of the version it was
   * launched with passes) and {@code ready} (its readiness checks passed).
   */
  static List<Instance> killOld(AppDefinition app, List<Instance> live,
      java.util.function.Predicate<Instance> ready,
      java.util.function.Predicate<Instance> healthy) {
    String current = app.versionInfo().lastConfigChangeAt();
    List<Instance> oldHealthy = new ArrayList<>();
    List<Instance> kills = new ArrayList<>();
    int newHealthy = 0;
    for (Instance instance : live) {
      boolean up = healthy.test(instance);
      if (instance.configVersion().equals(current)) {
        newHealthy += up && ready.test(instance) ? 1 : 0;
      } else if (up) {
        oldHealthy.add(instance);
      } else {
        kills.add(instance);
      }
    }
    int spare = oldHealthy.size() + newHealthy - minHealthy(app);
    oldHealthy.sort(Comparator.comparingLong(Instance::stagedAtMillis).reversed()
        .thenComparing(Instance::taskId));
    for (int i = 0; i < spare && i < oldHealthy.size(); i++) {
      kills.add(oldHealthy.get(i));
    }
    return kills;
  }

  /** How many new instances to launch now. */
  static int toLaunch(AppDefinition app, List<Instance> live) {
    String current = app.versionInfo().lastConfigChangeAt();
    int fresh = (int) live.stream().filter(i -> i.configVersion().equals(current)).count();
    int launch = Math.min(app.instances() - fresh, maxCapacity(app) - live.size());
    return Math.max(0, launch);
  }
}
