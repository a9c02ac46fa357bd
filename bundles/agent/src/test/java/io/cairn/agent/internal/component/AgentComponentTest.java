package io.cairn.agent.internal.component;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.env.NodeInfo;
import io.cairn.env.Peer;
import io.cairn.env.Role;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AgentComponentTest {
  @Test
  void portShiftFollowsTheNodesRaftPort() {
    List<Peer> peers = List.of(new Peer(1, "h", 17070), new Peer(2, "h", 17080));
    assertEquals(10_010, AgentComponent.portShift(
        new NodeInfo(2, Set.of(Role.MASTER, Role.AGENT), Path.of("/d"), peers)));
    assertEquals(0, AgentComponent.portShift(
        new NodeInfo(5, Set.of(Role.AGENT), Path.of("/d"), peers)), "agent-only node");
  }
}
