package io.cairn.proto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.proto.mesos.v1.Protos.Attribute;
import io.cairn.proto.mesos.v1.Protos.CommandInfo;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo.Capability;
import io.cairn.proto.mesos.v1.Protos.Offer;
import io.cairn.proto.mesos.v1.Protos.Resource;
import io.cairn.proto.mesos.v1.Protos.TaskInfo;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import io.cairn.proto.mesos.v1.Protos.Value;
import io.cairn.proto.mesos.v1.Protos.Volume;
import io.cairn.proto.mesos.v1.scheduler.Protos.AttributeConstraint;
import io.cairn.proto.mesos.v1.scheduler.Protos.Call;
import io.cairn.proto.mesos.v1.scheduler.Protos.Event;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bytes laid out with Apache Mesos's field numbers (include/mesos/v1/mesos.proto and
 * scheduler/scheduler.proto, Mesos 1.11) must decode into Cairn's generated classes field for
 * field. The bytes are built by {@link Wire}, never by Cairn's own classes.
 */
class MesosWireCompatibilityTest {

  private static final byte[] STATUS_UUID = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  // Value.Type numbers in Mesos.
  private static final int SCALAR = 0;
  private static final int RANGES = 1;
  private static final int SET = 2;
  private static final int TEXT = 3;

  private static Wire id(String value) {
    return Wire.message().string(1, value);
  }

  /** Resource: name=1, type=2, scalar=3 {value=1}, role=6. */
  private static Wire scalarResource(String name, double amount) {
    return Wire.message()
        .string(1, name)
        .enumValue(2, SCALAR)
        .message(3, Wire.message().doubleValue(1, amount))
        .string(6, "*");
  }

  /** Resource: name=1, type=2, ranges=4 {range=1 {begin=1, end=2}}, role=6. */
  private static Wire rangeResource(String name, long begin, long end) {
    return Wire.message()
        .string(1, name)
        .enumValue(2, RANGES)
        .message(4, Wire.message().message(1, Wire.message().uint64(1, begin).uint64(2, end)))
        .string(6, "*");
  }

  @Test
  void offerFromMesosDecodesEveryField() throws Exception {
    byte[] bytes =
        Wire.message()
            .message(1, id("offer-1"))
            .message(2, id("framework-1"))
            .message(3, id("agent-1"))
            .string(4, "host-a.example.com")
            .message(5, scalarResource("cpus", 4))
            .message(5, rangeResource("ports", 31000, 32000))
            .message(6, id("executor-1"))
            // Attribute: name=1, type=2, text=5 {value=1}.
            .message(
                7,
                Wire.message()
                    .string(1, "nfs")
                    .enumValue(2, TEXT)
                    .message(5, Wire.message().string(1, "true")))
            // Attribute with a SET value: set is field 6 (after text=5) in Attribute.
            .message(
                7,
                Wire.message()
                    .string(1, "zones")
                    .enumValue(2, SET)
                    .message(6, Wire.message().string(1, "a").string(1, "b")))
            // URL: scheme=1, address=2 {hostname=1, ip=2, port=3}, path=3.
            .message(
                8,
                Wire.message()
                    .string(1, "http")
                    .message(
                        2,
                        Wire.message()
                            .string(1, "host-a.example.com")
                            .string(2, "10.0.0.7")
                            .int32(3, 5051))
                    .string(3, "/slave(1)"))
            // AllocationInfo: role=1.
            .message(10, Wire.message().string(1, "test"))
            // DomainInfo: fault_domain=1 {region=1 {name=1}, zone=2 {name=1}}.
            .message(
                11,
                Wire.message()
                    .message(
                        1,
                        Wire.message()
                            .message(1, Wire.message().string(1, "eu-west"))
                            .message(2, Wire.message().string(1, "rack-a"))))
            .toByteArray();

    Offer offer = Offer.parseFrom(bytes);

    assertEquals("offer-1", offer.getId().getValue());
    assertEquals("framework-1", offer.getFrameworkId().getValue());
    assertEquals("agent-1", offer.getAgentId().getValue());
    assertEquals("host-a.example.com", offer.getHostname());

    assertEquals(2, offer.getResourcesCount());
    Resource cpus = offer.getResources(0);
    assertEquals("cpus", cpus.getName());
    assertEquals(Value.Type.SCALAR, cpus.getType());
    assertEquals(4.0, cpus.getScalar().getValue());
    assertEquals("*", cpus.getRole());
    Resource ports = offer.getResources(1);
    assertEquals("ports", ports.getName());
    assertEquals(Value.Type.RANGES, ports.getType());
    assertEquals(31000L, ports.getRanges().getRange(0).getBegin());
    assertEquals(32000L, ports.getRanges().getRange(0).getEnd());

    assertEquals("executor-1", offer.getExecutorIds(0).getValue());

    Attribute nfs = offer.getAttributes(0);
    assertEquals("nfs", nfs.getName());
    assertEquals(Value.Type.TEXT, nfs.getType());
    assertEquals("true", nfs.getText().getValue());
    Attribute zones = offer.getAttributes(1);
    assertEquals(Value.Type.SET, zones.getType());
    assertEquals(List.of("a", "b"), zones.getSet().getItemList());

    assertEquals("http", offer.getUrl().getScheme());
    assertEquals("10.0.0.7", offer.getUrl().getAddress().getIp());
    assertEquals(5051, offer.getUrl().getAddress().getPort());
    assertEquals("/slave(1)", offer.getUrl().getPath());
    assertEquals("test", offer.getAllocationInfo().getRole());
    assertEquals("eu-west", offer.getDomain().getFaultDomain().getRegion().getName());
    assertEquals("rack-a", offer.getDomain().getFaultDomain().getZone().getName());

    assertTrue(offer.getUnknownFields().asMap().isEmpty(), "every field has a Cairn meaning");
    assertArrayEquals(bytes, offer.toByteArray(), "re-encoding gives Mesos's bytes back");
  }

  @Test
  void taskStatusFromMesosDecodesEveryField() throws Exception {
    byte[] bytes =
        Wire.message()
            .message(1, id("task-1"))
            .enumValue(2, 1) // TASK_RUNNING
            .string(4, "command started")
            .message(5, id("agent-1"))
            .doubleValue(6, 1_700_000_000.25)
            .message(7, id("executor-1"))
            .bool(8, true)
            .enumValue(9, 1) // SOURCE_AGENT
            .enumValue(10, 32) // REASON_AGENT_REREGISTERED
            .bytes(11, STATUS_UUID)
            // Labels: labels=1 {key=1, value=2}.
            .message(12, Wire.message().message(1, Wire.message().string(1, "k").string(2, "v")))
            // ContainerStatus: network_infos=1 {ip_addresses=5 {ip_address=2}}, executor_pid=3.
            .message(
                13,
                Wire.message()
                    .message(1, Wire.message().message(5, Wire.message().string(2, "10.0.0.9")))
                    .uint32(3, 4242))
            // TimeInfo: nanoseconds=1.
            .message(14, Wire.message().int64(1, 1_699_999_999_000_000_000L))
            .toByteArray();

    TaskStatus status = TaskStatus.parseFrom(bytes);

    assertEquals("task-1", status.getTaskId().getValue());
    assertEquals(TaskState.TASK_RUNNING, status.getState());
    assertEquals("command started", status.getMessage());
    assertEquals("agent-1", status.getAgentId().getValue());
    assertEquals(1_700_000_000.25, status.getTimestamp());
    assertEquals("executor-1", status.getExecutorId().getValue());
    assertTrue(status.getHealthy());
    assertEquals(TaskStatus.Source.SOURCE_AGENT, status.getSource());
    assertEquals(TaskStatus.Reason.REASON_AGENT_REREGISTERED, status.getReason());
    assertArrayEquals(STATUS_UUID, status.getUuid().toByteArray());
    assertEquals("v", status.getLabels().getLabels(0).getValue());
    assertEquals(
        "10.0.0.9",
        status.getContainerStatus().getNetworkInfos(0).getIpAddresses(0).getIpAddress());
    assertEquals(4242, status.getContainerStatus().getExecutorPid());
    assertEquals(1_699_999_999_000_000_000L, status.getUnreachableTime().getNanoseconds());
    assertArrayEquals(bytes, status.toByteArray());
  }

  @Test
  void acceptCallFromMesosClientDecodesOperationsAndFilters() throws Exception {
    Wire task =
        Wire.message()
            .string(1, "web-1")
            .message(2, id("web-1.0"))
            .message(3, id("agent-1"))
            .message(4, scalarResource("cpus", 0.5))
            // CommandInfo: value=3, shell=6.
            .message(7, Wire.message().string(3, "python3 -m http.server $PORT0").bool(6, true));
    byte[] bytes =
        Wire.message()
            .message(1, id("framework-1"))
            .enumValue(2, 3) // ACCEPT
            .message(
                4,
                Wire.message()
                    .message(1, id("offer-1"))
                    // Offer.Operation: type=1 (LAUNCH=1), launch=2 {task_infos=1}.
                    .message(
                        2,
                        Wire.message().enumValue(1, 1).message(2, Wire.message().message(1, task)))
                    // Filters: refuse_seconds=1.
                    .message(3, Wire.message().doubleValue(1, 10.0)))
            .toByteArray();

    Call call = Call.parseFrom(bytes);

    assertEquals(Call.Type.ACCEPT, call.getType());
    assertEquals("framework-1", call.getFrameworkId().getValue());
    Call.Accept accept = call.getAccept();
    assertEquals("offer-1", accept.getOfferIds(0).getValue());
    assertEquals(Offer.Operation.Type.LAUNCH, accept.getOperations(0).getType());
    TaskInfo launched = accept.getOperations(0).getLaunch().getTaskInfos(0);
    assertEquals("web-1", launched.getName());
    assertEquals("web-1.0", launched.getTaskId().getValue());
    assertEquals("agent-1", launched.getAgentId().getValue());
    assertEquals(0.5, launched.getResources(0).getScalar().getValue());
    CommandInfo command = launched.getCommand();
    assertEquals("python3 -m http.server $PORT0", command.getValue());
    assertTrue(command.getShell());
    assertTrue(accept.getFilters().hasRefuseSeconds());
    assertEquals(10.0, accept.getFilters().getRefuseSeconds());
    assertArrayEquals(bytes, call.toByteArray());
  }

  @Test
  void updateEventAsMesosSendsItDecodes() throws Exception {
    byte[] bytes =
        Wire.message()
            .enumValue(1, 4) // UPDATE
            .message(
                5,
                Wire.message()
                    .message(
                        1,
                        Wire.message()
                            .message(1, id("task-1"))
                            .enumValue(2, 3) // TASK_FAILED
                            .enumValue(9, 2) // SOURCE_EXECUTOR
                            .bytes(11, STATUS_UUID)))
            .toByteArray();

    Event event = Event.parseFrom(bytes);

    assertEquals(Event.Type.UPDATE, event.getType());
    assertEquals(TaskState.TASK_FAILED, event.getUpdate().getStatus().getState());
    assertEquals(TaskStatus.Source.SOURCE_EXECUTOR, event.getUpdate().getStatus().getSource());
  }

  @Test
  void subscribeCallWithMesos111FieldsDecodes() throws Exception {
    // FrameworkInfo: user=1, name=2, failover_timeout=4, checkpoint=5, capabilities=10 {type=1}
    // (PARTITION_AWARE=5, MULTI_ROLE=6), roles=12.
    Wire frameworkInfo =
        Wire.message()
            .string(1, "root")
            .string(2, "marathon")
            .doubleValue(4, 604800.0)
            .bool(5, true)
            .message(10, Wire.message().enumValue(1, 5))
            .message(10, Wire.message().enumValue(1, 6))
            .string(12, "slave_public");
    // AttributeConstraint: selector=1 {attribute_name=2}, predicate=2 {text_equals=3 {value=1}}.
    Wire rackIsA =
        Wire.message()
            .message(1, Wire.message().string(2, "rack"))
            .message(2, Wire.message().message(3, Wire.message().string(1, "a")));
    // RoleConstraints: groups=1 {attribute_constraints=1}.
    Wire roleConstraints = Wire.message().message(1, Wire.message().message(1, rackIsA));
    // OfferConstraints: role_constraints=1, a map entry {key=1, value=2}.
    Wire offerConstraints =
        Wire.message()
            .message(1, Wire.message().string(1, "slave_public").message(2, roleConstraints));
    byte[] bytes =
        Wire.message()
            .enumValue(2, 1) // SUBSCRIBE
            .message(
                3,
                Wire.message()
                    .message(1, frameworkInfo)
                    .string(2, "slave_public")
                    .message(3, offerConstraints))
            .toByteArray();

    Call call = Call.parseFrom(bytes);

    Call.Subscribe subscribe = call.getSubscribe();
    FrameworkInfo info = subscribe.getFrameworkInfo();
    assertEquals("marathon", info.getName());
    assertEquals(604800.0, info.getFailoverTimeout());
    assertTrue(info.getCheckpoint());
    assertEquals(Capability.Type.PARTITION_AWARE, info.getCapabilities(0).getType());
    assertEquals(Capability.Type.MULTI_ROLE, info.getCapabilities(1).getType());
    assertEquals("slave_public", info.getRoles(0));
    assertEquals("slave_public", subscribe.getSuppressedRoles(0));
    AttributeConstraint constraint =
        subscribe
            .getOfferConstraints()
            .getRoleConstraintsOrThrow("slave_public")
            .getGroups(0)
            .getAttributeConstraints(0);
    assertEquals("rack", constraint.getSelector().getAttributeName());
    assertEquals("a", constraint.getPredicate().getTextEquals().getValue());
    assertArrayEquals(bytes, call.toByteArray());
  }

  @Test
  void fieldsCairnDoesNotModelSurviveARoundTrip() throws Exception {
    // Volume: mode=3 (RW=1), container_path=1, source=5 {type=1 (CSI_VOLUME=5),
    // csi_volume=6 {plugin_name=1}}; csi_volume is reserved, not modelled, in Cairn.
    byte[] bytes =
        Wire.message()
            .string(1, "/data")
            .enumValue(3, 1)
            .message(
                5,
                Wire.message()
                    .enumValue(1, 5)
                    .message(6, Wire.message().string(1, "org.example.csi")))
            .toByteArray();

    Volume volume = Volume.parseFrom(bytes);

    assertEquals(Volume.Source.Type.CSI_VOLUME, volume.getSource().getType());
    assertFalse(volume.getSource().getUnknownFields().asMap().isEmpty());
    assertArrayEquals(bytes, volume.toByteArray(), "unknown fields are re-encoded unchanged");
  }

  @Test
  void missingRequiredFieldIsRejectedAsMesosWould() {
    // TaskStatus without its required `state` (field 2).
    byte[] bytes = Wire.message().message(1, id("task-1")).toByteArray();

    assertThrows(InvalidProtocolBufferException.class, () -> TaskStatus.parseFrom(bytes));
  }
}
