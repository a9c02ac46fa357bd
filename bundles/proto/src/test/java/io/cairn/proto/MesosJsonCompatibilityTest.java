package io.cairn.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.cairn.proto.mesos.v1.Protos.FrameworkID;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import io.cairn.proto.mesos.v1.Protos.MasterInfo;
import io.cairn.proto.mesos.v1.Protos.Resource;
import io.cairn.proto.mesos.v1.Protos.Value;
import io.cairn.proto.mesos.v1.Protos.Volume;
import io.cairn.proto.mesos.v1.scheduler.Protos.Call;
import io.cairn.proto.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;

/**
 * The JSON flavour of the v1 scheduler API (Content-Type application/json): Mesos names JSON
 * members after the proto field names (snake_case) and enum values by name. The JSON documents
 * below are the examples of docs/scheduler-http-api.md in Apache Mesos.
 *
 * <p>Printing needs {@code preservingProtoFieldNames()}; JsonFormat's default is lowerCamelCase.
 */
class MesosJsonCompatibilityTest {

  private static final JsonFormat.Printer MESOS_PRINTER =
      JsonFormat.printer().preservingProtoFieldNames();

  private static final String SUBSCRIBE_CALL =
      """
      {
        "type": "SUBSCRIBE",
        "subscribe": {
          "framework_info": {
            "user": "foo",
            "name": "Example HTTP Framework",
            "roles": ["test"],
            "capabilities": [{"type": "MULTI_ROLE"}]
          }
        }
      }
      """;

  private static JsonElement tree(String json) {
    return JsonParser.parseString(json);
  }

  private static <B extends Message.Builder> B parse(String json, B builder)
      throws InvalidProtocolBufferException {
    JsonFormat.parser().merge(json, builder);
    return builder;
  }

  @Test
  void subscribeCallFromTheDocsParses() throws Exception {
    Call call = parse(SUBSCRIBE_CALL, Call.newBuilder()).build();

    assertEquals(Call.Type.SUBSCRIBE, call.getType());
    FrameworkInfo info = call.getSubscribe().getFrameworkInfo();
    assertEquals("foo", info.getUser());
    assertEquals("Example HTTP Framework", info.getName());
    assertEquals("test", info.getRoles(0));
    assertEquals(FrameworkInfo.Capability.Type.MULTI_ROLE, info.getCapabilities(0).getType());
  }

  @Test
  void subscribeCallPrintsBackToTheSameJson() throws Exception {
    Call call = parse(SUBSCRIBE_CALL, Call.newBuilder()).build();

    assertEquals(tree(SUBSCRIBE_CALL), tree(MESOS_PRINTER.print(call)));
  }

  @Test
  void subscribedEventPrintsWithMesosFieldNames() throws Exception {
    Event event =
        Event.newBuilder()
            .setType(Event.Type.SUBSCRIBED)
            .setSubscribed(
                Event.Subscribed.newBuilder()
                    .setFrameworkId(FrameworkID.newBuilder().setValue("12220-3440-12532-2345"))
                    .setHeartbeatIntervalSeconds(15)
                    .setMasterInfo(
                        MasterInfo.newBuilder()
                            .setId("master-1")
                            .setIp(0x0100007f)
                            .setPort(5050)
                            .setHostname("localhost")))
            .build();

    String expected =
        """
        {
          "type": "SUBSCRIBED",
          "subscribed": {
            "framework_id": {"value": "12220-3440-12532-2345"},
            "heartbeat_interval_seconds": 15,
            "master_info": {
              "id": "master-1",
              "ip": 16777343,
              "port": 5050,
              "hostname": "localhost"
            }
          }
        }
        """;
    assertEquals(tree(expected), tree(MESOS_PRINTER.print(event)));
  }

  @Test
  void offerResourcesInMesosNumericJsonParse() throws Exception {
    // Mesos writes 64-bit integers as JSON numbers; JsonFormat accepts numbers and strings.
    String ports =
        """
        {"name": "ports", "type": "RANGES", "role": "*",
         "ranges": {"range": [{"begin": 31000, "end": 32000}]}}
        """;

    Resource resource = parse(ports, Resource.newBuilder()).build();

    assertEquals(Value.Type.RANGES, resource.getType());
    assertEquals(31000L, resource.getRanges().getRange(0).getBegin());
    assertEquals(32000L, resource.getRanges().getRange(0).getEnd());
  }

  @Test
  void jsonFormatQuotes64BitIntegersWhereMesosDoesNot() throws Exception {
    // Known difference for whoever writes the HTTP layer: JsonFormat prints (u)int64 as JSON
    // strings ("31000"), Mesos as numbers (31000). Clients in dynamic languages may care.
    Value.Range range = Value.Range.newBuilder().setBegin(31000).setEnd(32000).build();

    assertEquals(
        tree("{\"begin\": \"31000\", \"end\": \"32000\"}"), tree(MESOS_PRINTER.print(range)));
  }

  @Test
  void jsonWithFieldsCairnDoesNotModelNeedsTheLenientParser() throws Exception {
    String csiVolume =
        """
        {"mode": "RW", "container_path": "/data",
         "source": {"type": "CSI_VOLUME", "csi_volume": {"plugin_name": "org.example.csi"}}}
        """;

    assertThrows(
        InvalidProtocolBufferException.class,
        () -> JsonFormat.parser().merge(csiVolume, Volume.newBuilder()));

    Volume.Builder lenient = Volume.newBuilder();
    JsonFormat.parser().ignoringUnknownFields().merge(csiVolume, lenient);
    assertEquals(Volume.Source.Type.CSI_VOLUME, lenient.getSource().getType());
    assertTrue(lenient.getSource().getUnknownFields().asMap().isEmpty(), "JSON drops them");
  }
}
