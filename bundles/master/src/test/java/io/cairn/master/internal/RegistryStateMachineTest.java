package io.cairn.master.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.master.AgentState;
import io.cairn.master.Registry;
import io.cairn.master.internal.proto.RegistryProtos.AdmitAgent;
import io.cairn.master.internal.proto.RegistryProtos.GoneAgent;
import io.cairn.master.internal.proto.RegistryProtos.RegistryCommand;
import io.cairn.master.internal.proto.RegistryProtos.RegistryResult;
import io.cairn.master.internal.proto.RegistryProtos.RegistryResult.Code;
import io.cairn.master.internal.proto.RegistryProtos.RegistrySnapshot;
import io.cairn.proto.mesos.v1.Protos.AgentID;
import io.cairn.proto.mesos.v1.Protos.AgentInfo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The StateMachine adapter: namespace, result bytes, snapshot streams and corrupt snapshots. */
class RegistryStateMachineTest {
  private static byte[] admit(String id) {
    AgentInfo info = AgentInfo.newBuilder().setId(AgentID.newBuilder().setValue(id))
        .setHostname("h-" + id).build();
    return RegistryCommand.newBuilder().setAdmitAgent(AdmitAgent.newBuilder().setInfo(info))
        .build().toByteArray();
  }

  @Test
  void itOwnsTheRegistryNamespaceAndAnswersResults() throws IOException {
    RegistryStateMachine machine = new RegistryStateMachine();
    assertEquals("registry", machine.namespace());
    assertEquals(Code.OK, RegistryResult.parseFrom(machine.apply(1, admit("a1"))).getCode());
    RegistryResult twice = RegistryResult.parseFrom(machine.apply(2, admit("a1")));
    assertEquals("agent a1 is already admitted", twice.getMessage());
    assertEquals(Code.MALFORMED,
        RegistryResult.parseFrom(machine.apply(3, new byte[] {(byte) 0xff})).getCode());
    assertEquals(3, machine.registry().lastIndex());
  }

  @Test
  void aSnapshotStreamsIntoAFreshMachine() throws IOException {
    RegistryStateMachine machine = new RegistryStateMachine();
    machine.apply(1, admit("a1"));
    machine.apply(2, admit("a2"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    machine.snapshot(out);
    RegistryStateMachine fresh = new RegistryStateMachine();
    fresh.restore(2, new ByteArrayInputStream(out.toByteArray()));
    assertEquals(machine.registry(), fresh.registry());
    ByteArrayOutputStream again = new ByteArrayOutputStream();
    fresh.snapshot(again);
    assertArrayEquals(out.toByteArray(), again.toByteArray());
  }

  @Test
  void aCorruptSnapshotIsRefusedAndChangesNothing() {
    RegistryStateMachine machine = new RegistryStateMachine();
    machine.apply(1, admit("a1"));
    Registry before = machine.registry();
    byte[] twoStates = RegistrySnapshot.newBuilder()
        .addAdmitted(AgentInfo.newBuilder().setId(AgentID.newBuilder().setValue("x"))
            .setHostname("h"))
        .addGone(GoneAgent.newBuilder().setAgentId(AgentID.newBuilder().setValue("x"))
            .setTimeMs(1))
        .build().toByteArray();
    IOException e = assertThrows(IOException.class,
        () -> machine.restore(9, new ByteArrayInputStream(twoStates)));
    assertTrue(e.getCause().getMessage().contains("agent x appears twice"), e::toString);
    assertThrows(IOException.class,
        () -> machine.restore(9, new ByteArrayInputStream(new byte[] {1, 2, 3})));
    assertEquals(before, machine.registry());
    assertEquals(AgentState.ADMITTED, machine.registry().agents().get(0).state());
  }

  @Test
  void theViewIsReadableFromAnotherThread() throws InterruptedException {
    RegistryStateMachine machine = new RegistryStateMachine();
    Thread applier = new Thread(() -> {
      for (int i = 1; i <= 200; i++) {
        machine.apply(i, admit("a" + i));
      }
    });
    applier.start();
    long last = 0;
    while (applier.isAlive()) {
      Registry seen = machine.registry();
      assertTrue(seen.lastIndex() >= last, "the view went back in time");
      assertEquals(seen.lastIndex(), seen.agents().size(), "a half-applied view");
      last = seen.lastIndex();
    }
    applier.join();
    assertEquals(200, machine.registry().agents().size());
  }
}
