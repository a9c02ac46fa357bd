package io.cairn.master.internal.core;

import static io.cairn.master.internal.core.Commands.addFramework;
import static io.cairn.master.internal.core.Commands.admit;
import static io.cairn.master.internal.core.Commands.agent;
import static io.cairn.master.internal.core.Commands.framework;
import static io.cairn.master.internal.core.Commands.gone;
import static io.cairn.master.internal.core.Commands.maintenance;
import static io.cairn.master.internal.core.Commands.prune;
import static io.cairn.master.internal.core.Commands.quota;
import static io.cairn.master.internal.core.Commands.reachable;
import static io.cairn.master.internal.core.Commands.removeFramework;
import static io.cairn.master.internal.core.Commands.unreachable;
import static io.cairn.master.internal.core.Commands.updateFramework;
import static io.cairn.master.internal.core.Commands.weights;
import static io.cairn.master.internal.core.Commands.window;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.master.AgentState;
import io.cairn.master.Registry;
import io.cairn.master.internal.proto.RegistryProtos.RegistryCommand;
import io.cairn.master.internal.proto.RegistryProtos.RegistryResult;
import io.cairn.master.internal.proto.RegistryProtos.RegistryResult.Code;
import io.cairn.proto.mesos.v1.Protos.AgentInfo;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every registry command, accepted and rejected, as named rows: given some applied commands, when
 * one more is applied, then its result code and sentence, and either the registry it leads to or,
 * for a rejection, an unchanged registry.
 */
class RegistryScenarioTest {
  private static final Consumer<Registry> ANY = r -> {};

  /**
   * One row.
   *
   * @param message a part of the result's sentence; empty for OK
   */
  record Scenario(String name, List<RegistryCommand> given, RegistryCommand when, Code code,
      String message, Consumer<Registry> then) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Scenario> scenarios() {
    return Stream.of(agentScenarios(), frameworkScenarios(), policyScenarios())
        .flatMap(s -> s);
  }

  static Stream<Scenario> agentScenarios() {
    AgentInfo noHost = agent("a1", "");
    AgentInfo badPort = agent("a1", "h").toBuilder().setPort(70000).build();
    return Stream.of(
        ok("a new agent is admitted", List.of(), admit("a1"),
            r -> assertEquals(AgentState.ADMITTED, r.agents().get(0).state())),
        ok("an admitted agent shows its scalars and attributes", List.of(), admit("a1"),
            r -> assertEquals(Map.of("cpus", 4.0, "mem", 1024.0), r.agents().get(0).scalars())),
        no("an agent is admitted twice", List.of(admit("a1")), admit("a1"),
            Code.ALREADY_EXISTS, "agent a1 is already admitted"),
        no("an agent without hostname", List.of(), admit(noHost), Code.INVALID,
            "agent a1 has no hostname"),
        no("an agent with a bad port", List.of(), admit(badPort), Code.INVALID,
            "agent a1 has port 70000; a port is 1 to 65535"),
        no("an agent id with a slash", List.of(), admit("a/1"), Code.INVALID,
            "agent id 'a/1' contains a '/'"),
        no("an unreachable agent is admitted anew", List.of(admit("a1"), unreachable("a1", 5)),
            admit("a1"), Code.WRONG_STATE, "agent a1 is unreachable; it comes back by"),
        no("a gone agent is admitted anew", List.of(admit("a1"), gone("a1", 5)), admit("a1"),
            Code.GONE, "agent a1 is gone and can never be admitted again"),
        ok("an admitted agent becomes unreachable", List.of(admit("a1")), unreachable("a1", 7),
            r -> assertEquals(7, r.agents(AgentState.UNREACHABLE).get(0).sinceMs().getAsLong())),
        no("an unknown agent becomes unreachable", List.of(), unreachable("a9", 7),
            Code.NOT_FOUND, "agent a9 is not in the registry"),
        no("an unreachable agent becomes unreachable again",
            List.of(admit("a1"), unreachable("a1", 5)), unreachable("a1", 7), Code.WRONG_STATE,
            "agent a1 is already unreachable (since 5)"),
        no("a gone agent becomes unreachable", List.of(admit("a1"), gone("a1", 5)),
            unreachable("a1", 7), Code.GONE, "agent a1 is gone (since 5)"),
        no("an agent becomes unreachable at a negative time", List.of(admit("a1")),
            unreachable("a1", -1), Code.INVALID,
            "MarkAgentUnreachable for agent a1 needs a time >= 0, was -1"),
        ok("an unreachable agent re-registers", List.of(admit("a1"), unreachable("a1", 5)),
            reachable(agent("a1", "new-host")),
            r -> assertEquals("new-host", r.agents(AgentState.ADMITTED).get(0).hostname())),
        ok("a pruned agent re-registers as Mesos allows",
            List.of(admit("a1"), unreachable("a1", 5), prune(10, 0, 0)), reachable("a1"),
            r -> assertEquals(1, r.agents(AgentState.ADMITTED).size())),
        no("an admitted agent re-registers", List.of(admit("a1")), reachable("a1"),
            Code.ALREADY_EXISTS, "agent a1 is already admitted"),
        no("a gone agent re-registers", List.of(admit("a1"), gone("a1", 5)), reachable("a1"),
            Code.GONE, "agent a1 was marked gone at 5 and can never re-register"),
        ok("an admitted agent is marked gone", List.of(admit("a1")), gone("a1", 9),
            r -> assertEquals(AgentState.GONE, r.agents().get(0).state())),
        ok("an unreachable agent is marked gone", List.of(admit("a1"), unreachable("a1", 5)),
            gone("a1", 9), r -> assertEquals(List.of(), r.agents(AgentState.UNREACHABLE))),
        no("a gone agent is marked gone again", List.of(admit("a1"), gone("a1", 5)),
            gone("a1", 9), Code.WRONG_STATE, "agent a1 is already gone (since 5)"),
        no("an unknown agent is marked gone", List.of(), gone("a9", 9), Code.NOT_FOUND,
            "agent a9 is not in the registry"),
        no("a prune with a negative max count", List.of(), prune(10, 5, -1), Code.INVALID,
            "PruneUnreachable needs now, max age and max count, all >= 0"),
        no("an empty entry", List.of(), RegistryCommand.getDefaultInstance(), Code.MALFORMED,
            "carries no registry command"));
  }

  static Stream<Scenario> frameworkScenarios() {
    FrameworkInfo f1 = framework("f1", 60, "eng");
    return Stream.of(
        ok("a framework is added", List.of(), addFramework(f1),
            r -> assertEquals(60.0, r.frameworks().get(0).failoverTimeoutSeconds())),
        ok("a framework without roles gets role *", List.of(), addFramework(framework("f1", 0)),
            r -> assertEquals(List.of("*"), r.frameworks().get(0).roles())),
        no("a framework is added twice", List.of(addFramework(f1)), addFramework(f1),
            Code.ALREADY_EXISTS, "framework f1 is already registered"),
        no("a framework with a negative failover timeout", List.of(),
            addFramework(framework("f1", -3)), Code.INVALID,
            "failover_timeout of framework f1 must be a number of seconds >= 0, was -3"),
        no("a framework with an infinite failover timeout", List.of(),
            addFramework(framework("f1", Double.POSITIVE_INFINITY)), Code.INVALID,
            "was Infinity"),
        no("a framework with a bad role", List.of(), addFramework(framework("f1", 0, "a/../b")),
            Code.INVALID, "role 'a/../b' of framework f1 has a '..' component"),
        no("a framework naming a role twice", List.of(),
            addFramework(framework("f1", 0, "eng", "eng")), Code.INVALID,
            "framework f1 names a role twice"),
        ok("a framework is updated", List.of(addFramework(f1)),
            updateFramework(framework("f1", 120, "eng", "ops")),
            r -> assertEquals(List.of("eng", "ops"), r.frameworks().get(0).roles())),
        no("an unknown framework is updated", List.of(), updateFramework(f1), Code.NOT_FOUND,
            "framework f1 is not registered"),
        no("a framework changes its user", List.of(addFramework(f1)),
            updateFramework(f1.toBuilder().setUser("root").build()), Code.INVALID,
            "framework f1 cannot change its user from 'cairn' to 'root'"),
        ok("a framework is removed", List.of(addFramework(f1)), removeFramework("f1"),
            r -> assertEquals(List.of(), r.frameworks())),
        no("an unknown framework is removed", List.of(), removeFramework("f9"), Code.NOT_FOUND,
            "framework f9 is not registered"));
  }

  static Stream<Scenario> policyScenarios() {
    Map<String, Double> none = Map.of();
    return Stream.of(
        ok("weights are set", List.of(), weights("eng", 2, "ops", 0.5),
            r -> assertEquals(Map.of("eng", 2.0, "ops", 0.5), r.weights())),
        no("a weight is negative", List.of(weights("ops", 3)), weights("ops", 1, "eng", -1),
            Code.INVALID, "weight for role 'eng' must be > 0, was -1"),
        no("a weight is zero", List.of(), weights("eng", 0), Code.INVALID,
            "weight for role 'eng' must be > 0, was 0"),
        no("a weight for a bad role", List.of(), weights("-eng", 1), Code.INVALID,
            "role '-eng' of a weight has a component starting with '-'"),
        no("a role is weighted twice", List.of(), weights("eng", 1, "eng", 2), Code.INVALID,
            "role 'eng' is given more than one weight"),
        no("no weights", List.of(), weights(), Code.INVALID, "needs at least one role"),
        ok("a quota is set", List.of(),
            quota("eng", Map.of("cpus", 2.0), Map.of("cpus", 4.0, "mem", 100.0)),
            r -> assertEquals(Map.of("cpus", 4.0, "mem", 100.0), r.quotas().get("eng").limits())),
        ok("an empty quota removes it", List.of(quota("eng", Map.of("cpus", 2.0), none)),
            quota("eng", none, none), r -> assertEquals(Map.of(), r.quotas())),
        no("a guarantee above its limit", List.of(),
            quota("eng", Map.of("cpus", 8.0), Map.of("cpus", 4.0)), Code.INVALID,
            "quota guarantee of cpus for role 'eng' (8) exceeds its limit (4)"),
        no("a negative quota", List.of(), quota("eng", Map.of("mem", -5.0), none), Code.INVALID,
            "quota guarantee of mem for role 'eng' must be a number >= 0, was -5"),
        no("a quota on role *", List.of(), quota("*", Map.of("cpus", 1.0), none), Code.INVALID,
            "quota cannot be set on role '*'"),
        ok("a maintenance schedule is set", List.of(),
            maintenance(window(100, 50, "h1", "h2"), window(300, 0, "h3")),
            r -> assertEquals(2, r.maintenance().size())),
        ok("an empty schedule clears it", List.of(maintenance(window(100, 50, "h1"))),
            maintenance(), r -> assertEquals(List.of(), r.maintenance())),
        no("a machine in two windows", List.of(),
            maintenance(window(100, 50, "h1"), window(300, 5, "H1")), Code.INVALID,
            "machine H1 appears in more than one maintenance window"),
        no("a window without machines", List.of(), maintenance(window(100, 50)), Code.INVALID,
            "maintenance window 0 names no machine"),
        no("a window with a negative duration", List.of(), maintenance(window(100, -1, "h1")),
            Code.INVALID, "maintenance window 0 needs a duration >= 0, was -1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void scenario(Scenario s) {
    RegistryCore core = new RegistryCore();
    long index = 0;
    for (RegistryCommand command : s.given()) {
      RegistryResult given = core.apply(++index, command);
      assertEquals(Code.OK, given.getCode(), () -> "setup of '" + s + "': " + given);
    }
    Registry before = withoutIndex(core.view());
    RegistryResult result = core.apply(++index, s.when());
    assertEquals(s.code(), result.getCode(), () -> s + ": " + result.getMessage());
    assertTrue(result.getMessage().contains(s.message()),
        () -> s + ": '" + result.getMessage() + "' lacks '" + s.message() + "'");
    assertEquals(index, core.view().lastIndex());
    if (s.code() == Code.OK) {
      s.then().accept(core.view());
    } else {
      assertEquals(before, withoutIndex(core.view()), () -> s + " changed the registry");
    }
  }

  static Registry withoutIndex(Registry r) {
    return new Registry(0, r.agents(), r.frameworks(), r.weights(), r.quotas(), r.maintenance());
  }

  private static Scenario ok(String name, List<RegistryCommand> given, RegistryCommand when,
      Consumer<Registry> then) {
    return new Scenario(name, given, when, Code.OK, "", then);
  }

  private static Scenario no(String name, List<RegistryCommand> given, RegistryCommand when,
      Code code, String message) {
    return new Scenario(name, given, when, code, message, ANY);
  }
}
