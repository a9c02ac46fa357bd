package io.cairn.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Descriptors.EnumDescriptor;
import io.cairn.proto.mesos.v1.Protos.Offer;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.scheduler.Protos.Call;
import io.cairn.proto.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Enum values travel as numbers on the wire, and Mesos's numbers are not in declaration order
 * (TASK_STAGING is 6, TASK_STARTING is 0). Each row is a (name, number) pair copied from Apache
 * Mesos 1.11's .proto files; a row failing means a client would see a different state or call.
 */
class MesosEnumNumbersTest {

  private static void assertNumber(EnumDescriptor type, String name, int number) {
    assertEquals(
        number,
        type.findValueByName(name).getNumber(),
        () -> type.getFullName() + "." + name + " must be " + number);
    assertEquals(name, type.findValueByNumber(number).getName());
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
    "TASK_STAGING, 6",
    "TASK_STARTING, 0",
    "TASK_RUNNING, 1",
    "TASK_KILLING, 8",
    "TASK_FINISHED, 2",
    "TASK_FAILED, 3",
    "TASK_KILLED, 4",
    "TASK_ERROR, 7",
    "TASK_LOST, 5",
    "TASK_DROPPED, 9",
    "TASK_UNREACHABLE, 10",
    "TASK_GONE, 11",
    "TASK_GONE_BY_OPERATOR, 12",
    "TASK_UNKNOWN, 13",
  })
  void taskStateNumbersMatchMesos(String name, int number) {
    assertNumber(TaskState.getDescriptor(), name, number);
  }

  @ParameterizedTest(name = "Call.{0} = {1}")
  @CsvSource({
    "UNKNOWN, 0",
    "SUBSCRIBE, 1",
    "TEARDOWN, 2",
    "ACCEPT, 3",
    "DECLINE, 4",
    "REVIVE, 5",
    "KILL, 6",
    "SHUTDOWN, 7",
    "ACKNOWLEDGE, 8",
    "RECONCILE, 9",
    "MESSAGE, 10",
    "REQUEST, 11",
    "SUPPRESS, 12",
    "ACCEPT_INVERSE_OFFERS, 13",
    "DECLINE_INVERSE_OFFERS, 14",
    "ACKNOWLEDGE_OPERATION_STATUS, 15",
    "RECONCILE_OPERATIONS, 16",
    "UPDATE_FRAMEWORK, 17",
  })
  void callTypeNumbersMatchMesos(String name, int number) {
    assertNumber(Call.Type.getDescriptor(), name, number);
  }

  @ParameterizedTest(name = "Event.{0} = {1}")
  @CsvSource({
    "UNKNOWN, 0",
    "SUBSCRIBED, 1",
    "OFFERS, 2",
    "RESCIND, 3",
    "UPDATE, 4",
    "MESSAGE, 5",
    "FAILURE, 6",
    "ERROR, 7",
    "HEARTBEAT, 8",
    "INVERSE_OFFERS, 9",
    "RESCIND_INVERSE_OFFER, 10",
    "UPDATE_OPERATION_STATUS, 11",
  })
  void eventTypeNumbersMatchMesos(String name, int number) {
    assertNumber(Event.Type.getDescriptor(), name, number);
  }

  @ParameterizedTest(name = "Offer.Operation.{0} = {1}")
  @CsvSource({
    "UNKNOWN, 0",
    "LAUNCH, 1",
    "RESERVE, 2",
    "UNRESERVE, 3",
    "CREATE, 4",
    "DESTROY, 5",
    "LAUNCH_GROUP, 6",
    "GROW_VOLUME, 11",
    "SHRINK_VOLUME, 12",
    "CREATE_DISK, 13",
    "DESTROY_DISK, 14",
  })
  void offerOperationTypeNumbersMatchMesos(String name, int number) {
    assertNumber(Offer.Operation.Type.getDescriptor(), name, number);
  }

  @ParameterizedTest(name = "Call field {0} = {1}")
  @CsvSource({
    "framework_id, 1",
    "type, 2",
    "subscribe, 3",
    "accept, 4",
    "decline, 5",
    "kill, 6",
    "shutdown, 7",
    "acknowledge, 8",
    "reconcile, 9",
    "message, 10",
    "request, 11",
    "accept_inverse_offers, 13",
    "decline_inverse_offers, 14",
    "revive, 15",
    "suppress, 16",
    "acknowledge_operation_status, 17",
    "reconcile_operations, 18",
    "update_framework, 19",
  })
  void callFieldNumbersMatchMesos(String name, int number) {
    assertEquals(number, Call.getDescriptor().findFieldByName(name).getNumber());
  }
}
