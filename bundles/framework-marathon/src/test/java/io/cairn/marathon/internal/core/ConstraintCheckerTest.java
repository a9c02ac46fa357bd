package io.cairn.marathon.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.marathon.internal.model.AppDefinition.Constraint;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConstraintCheckerTest {
  static Placement at(String host, String rack) {
    return new Placement(host, rack == null ? Map.of() : Map.of("rack", rack, "nfs", "true"));
  }

  static Stream<Arguments> rows() {
    List<Placement> twoOnA = List.of(at("h1", "a"), at("h2", "a"));
    List<Placement> spread = List.of(at("h1", "a"), at("h2", "b"));
    return Stream.of(
        Arguments.of("UNIQUE hostname: new host", new Constraint("hostname", "UNIQUE", null),
            at("h3", "a"), twoOnA, true),
        Arguments.of("UNIQUE hostname: used host", new Constraint("hostname", "UNIQUE", null),
            at("h1", "b"), twoOnA, false),
        Arguments.of("UNIQUE attribute", new Constraint("rack", "UNIQUE", null),
            at("h3", "a"), twoOnA, false),
        Arguments.of("CLUSTER value matches", new Constraint("rack", "CLUSTER", "a"),
            at("h3", "a"), List.of(), true),
        Arguments.of("CLUSTER value differs", new Constraint("rack", "CLUSTER", "a"),
            at("h3", "b"), List.of(), false),
        Arguments.of("CLUSTER without value follows the first",
            new Constraint("rack", "CLUSTER", null), at("h3", "b"), twoOnA, false),
        Arguments.of("CLUSTER without value, first instance anywhere",
            new Constraint("rack", "CLUSTER", null), at("h3", "b"), List.of(), true),
        Arguments.of("GROUP_BY 2: new group accepted", new Constraint("rack", "GROUP_BY", "2"),
            at("h3", "b"), twoOnA, true),
        Arguments.of("GROUP_BY 2: only one group yet, not its third",
            new Constraint("rack", "GROUP_BY", "2"), at("h3", "a"), twoOnA, false),
        Arguments.of("GROUP_BY 2: balanced, either", new Constraint("rack", "GROUP_BY", "2"),
            at("h3", "a"), spread, true),
        Arguments.of("GROUP_BY: larger group refused", new Constraint("rack", "GROUP_BY", "2"),
            at("h4", "a"), List.of(at("h1", "a"), at("h2", "b"), at("h3", "a")), false),
        Arguments.of("LIKE matches", new Constraint("nfs", "LIKE", "true"), at("h1", "a"),
            List.of(), true),
        Arguments.of("LIKE is a full match", new Constraint("rack", "LIKE", "a.+"),
            at("h1", "a"), List.of(), false),
        Arguments.of("LIKE missing attribute", new Constraint("nfs", "LIKE", "true"),
            at("h1", null), List.of(), false),
        Arguments.of("UNLIKE missing attribute accepts", new Constraint("nfs", "UNLIKE", "true"),
            at("h1", null), List.of(), true),
        Arguments.of("UNLIKE match refuses", new Constraint("rack", "UNLIKE", "a|b"),
            at("h1", "a"), List.of(), false),
        Arguments.of("MAX_PER 2 full", new Constraint("rack", "MAX_PER", "2"), at("h3", "a"),
            twoOnA, false),
        Arguments.of("MAX_PER 2 room", new Constraint("rack", "MAX_PER", "2"), at("h3", "b"),
            twoOnA, true),
        Arguments.of("IS equal", new Constraint("rack", "IS", "a"), at("h3", "a"), twoOnA, true),
        Arguments.of("IS different", new Constraint("rack", "IS", "b"), at("h3", "a"), twoOnA,
            false),
        Arguments.of("@hostname field", new Constraint("@hostname", "LIKE", "h[0-9]"),
            at("h3", "a"), List.of(), true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void constraintsFollowMarathon(String name, Constraint constraint, Placement candidate,
      List<Placement> placed, boolean expected) {
    assertEquals(expected, ConstraintChecker.meets(constraint, candidate, placed));
  }
}
