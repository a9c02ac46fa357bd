package io.cairn.master.internal.core;

import static io.cairn.master.internal.core.MasterHarness.frameworkInfo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.proto.agent.AgentMessage;
import io.cairn.proto.mesos.v1.Protos.Offer;
import io.cairn.proto.mesos.v1.Protos.Resource;
import io.cairn.proto.mesos.v1.scheduler.Protos.Call;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RESERVE and UNRESERVE through ACCEPT: the agent's total, its offers and its checkpoint. */
class ReservationTest {
  private final MasterHarness h = new MasterHarness();

  private static Resource reserved(String name, double value, String role) {
    return MasterHarness.scalar(name, value).toBuilder().addReservations(
        Resource.ReservationInfo.newBuilder().setType(Resource.ReservationInfo.Type.DYNAMIC)
            .setRole(role)).build();
  }

  private static Call.Builder convert(Offer offer, Offer.Operation.Type type,
      Resource... resources) {
    Offer.Operation.Builder operation = Offer.Operation.newBuilder().setType(type);
    if (type == Offer.Operation.Type.RESERVE) {
      operation.setReserve(Offer.Operation.Reserve.newBuilder().addAllResources(List.of(
          resources)));
    } else {
      operation.setUnreserve(Offer.Operation.Unreserve.newBuilder().addAllResources(List.of(
          resources)));
    }
    return Call.newBuilder().setType(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
        .addOfferIds(offer.getId()).addOperations(operation));
  }

  private static double reservedCpus(Offer offer) {
    return offer.getResourcesList().stream()
        .filter(r -> r.getName().equals("cpus") && r.getReservationsCount() > 0)
        .mapToDouble(r -> r.getScalar().getValue()).sum();
  }

  @Test
  void reserveThenUnreserve() {
    h.registerAgent(1, "h1");
    String fw = h.subscribe("s1", frameworkInfo("fw").toBuilder().clearRoles().addRoles("eng")
        .build());
    Offer offer = h.offers("s1").get(0);
    h.call("s1", fw, convert(offer, Offer.Operation.Type.RESERVE, reserved("cpus", 2, "eng"),
        reserved("mem", 512, "eng")));
    AgentMessage checkpoint = h.lastToAgent(1);
    assertTrue(checkpoint.hasCheckpointResources(), "the agent checkpoints: " + checkpoint);
    assertEquals(2, checkpoint.getCheckpointResources().getResourcesCount());
    Offer again = h.offers("s1").get(1);
    assertEquals(2.0, reservedCpus(again), 1e-9, "the reserved cpus are offered, reserved");

    h.call("s1", fw, convert(again, Offer.Operation.Type.UNRESERVE, reserved("cpus", 2, "eng"),
        reserved("mem", 512, "eng")));
    assertEquals(0, h.lastToAgent(1).getCheckpointResources().getResourcesCount());
    Offer third = h.offers("s1").get(2);
    assertEquals(0.0, reservedCpus(third), 1e-9);
    assertEquals(4.0, third.getResourcesList().stream().filter(r -> r.getName().equals("cpus"))
        .mapToDouble(r -> r.getScalar().getValue()).sum(), 1e-9);
  }

  @Test
  void aReservationForAnotherRoleIsSkippedAndChangesNothing() {
    h.registerAgent(1, "h1");
    String fw = h.subscribe("s1", frameworkInfo("fw").toBuilder().clearRoles().addRoles("eng")
        .build());
    Offer offer = h.offers("s1").get(0);
    h.call("s1", fw, convert(offer, Offer.Operation.Type.RESERVE, reserved("cpus", 2, "ops")));
    assertTrue(h.agentMessages(1, AgentMessage.BodyCase.CHECKPOINT_RESOURCES).isEmpty());
    assertEquals(0, h.core.state().getGetAgents().getAgents(0).getTotalResourcesList().stream()
        .filter(r -> r.getReservationsCount() > 0).count());
  }
}
