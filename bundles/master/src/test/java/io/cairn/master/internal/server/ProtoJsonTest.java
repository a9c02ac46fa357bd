package io.cairn.master.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import io.cairn.proto.mesos.v1.Protos.AgentID;
import io.cairn.proto.mesos.v1.Protos.FrameworkID;
import io.cairn.proto.mesos.v1.Protos.Label;
import io.cairn.proto.mesos.v1.Protos.Labels;
import io.cairn.proto.mesos.v1.Protos.Offer;
import io.cairn.proto.mesos.v1.Protos.OfferID;
import io.cairn.proto.mesos.v1.Protos.Resource;
import io.cairn.proto.mesos.v1.Protos.TaskID;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import io.cairn.proto.mesos.v1.Protos.Value;
import io.cairn.proto.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;

class ProtoJsonTest {
  private static final Offer OFFER = Offer.newBuilder()
      .setId(OfferID.newBuilder().setValue("o-1"))
      .setFrameworkId(FrameworkID.newBuilder().setValue("fw"))
      .setAgentId(AgentID.newBuilder().setValue("a-1"))
      .setHostname("mesos0")
      .addResources(Resource.newBuilder().setName("cpus").setType(Value.Type.SCALAR)
          .setScalar(Value.Scalar.newBuilder().setValue(0.25)))
      .addResources(Resource.newBuilder().setName("ports").setType(Value.Type.RANGES)
          .setRanges(Value.Ranges.newBuilder()
              .addRange(Value.Range.newBuilder().setBegin(31000).setEnd(32000))
              .addRange(Value.Range.newBuilder().setBegin(-1L).setEnd(-1L))))
      .build();

  @Test
  void sixtyFourBitIntegersAreNumbersAsInMesos() {
    String json = ProtoJson.print(OFFER);

    assertTrue(json.contains("{\"begin\":31000,\"end\":32000}"), json);
    // uint64 is unsigned: all bits set is 2^64-1, not -1.
    assertTrue(json.contains("{\"begin\":18446744073709551615,\"end\":18446744073709551615}"),
        json);
    assertTrue(json.contains("\"type\":\"RANGES\""), json);
    assertTrue(json.contains("\"scalar\":{\"value\":0.25}"), json);
  }

  @Test
  void whatItPrintsParsesBackIntoTheSameMessage() throws Exception {
    TaskStatus status = TaskStatus.newBuilder()
        .setTaskId(TaskID.newBuilder().setValue("web.1 \"quoted\" \\ \n\t\u0001"))
        .setState(TaskState.TASK_RUNNING)
        .setMessage("ünïcode ✓ and \u2028")
        .setTimestamp(1.7e9 + 0.125)
        .setUuid(ByteString.copyFrom(new byte[] {0, 1, 2, (byte) 0xff, 10, 34}))
        .setHealthy(true)
        .setLabels(Labels.newBuilder().addLabels(Label.newBuilder().setKey("k").setValue("v")))
        .build();
    Event event = Event.newBuilder().setType(Event.Type.UPDATE)
        .setUpdate(Event.Update.newBuilder().setStatus(status)).build();
    Event.Builder parsed = Event.newBuilder();
    JsonFormat.parser().merge(ProtoJson.print(event), parsed);
    assertEquals(event, parsed.build());

    Offer.Builder offer = Offer.newBuilder();
    JsonFormat.parser().merge(ProtoJson.print(OFFER), offer);
    assertEquals(OFFER, offer.build());
  }

  @Test
  void fieldsAreTheSameAsProtobufsOwnPrinterApartFromNumbers() throws Exception {
    String ours = ProtoJson.print(OFFER);
    String theirs = JsonFormat.printer().preservingProtoFieldNames()
        .omittingInsignificantWhitespace().print(OFFER);
    assertEquals(theirs.replaceAll("\"(-?\\d+)\"", "$1"), ours);
  }
}
