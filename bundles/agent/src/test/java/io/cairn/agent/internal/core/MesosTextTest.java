package io.cairn.agent.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.proto.mesos.v1.Protos.Attribute;
import io.cairn.proto.mesos.v1.Protos.Resource;
import io.cairn.proto.mesos.v1.Protos.Value;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class MesosTextTest {
  @Test
  void parsesTheIssueExample() {
    List<Resource> resources =
        MesosText.parseResources("cpus:10;mem:200000;disk:500000;ports:[31000-32000]");
    assertEquals(4, resources.size());
    assertEquals(10.0, resources.get(0).getScalar().getValue());
    assertEquals(Value.Type.RANGES, resources.get(3).getType());
    assertEquals(31000, resources.get(3).getRanges().getRange(0).getBegin());
    assertEquals(32000, resources.get(3).getRanges().getRange(0).getEnd());
    assertEquals(
        "cpus:10;mem:200000;disk:500000;ports:[31000-32000]", MesosText.format(resources));
  }

  @Test
  void parsesRolesSetsAndSeveralRanges() {
    List<Resource> resources =
        MesosText.parseResources("cpus(ads):8; bugs(debug_role):{a,b,c};ports:[1-2, 5-9]");
    assertEquals("ads", resources.get(0).getReservations(0).getRole());
    assertEquals(Resource.ReservationInfo.Type.STATIC, resources.get(0).getReservations(0).getType());
    assertEquals(List.of("a", "b", "c"), resources.get(1).getSet().getItemList());
    assertEquals(2, resources.get(2).getRanges().getRangeCount());
    assertEquals("cpus(ads):8;bugs(debug_role):{a,b,c};ports:[1-2,5-9]", MesosText.format(resources));
  }

  @Test
  void emptyTextIsNoResources() {
    assertTrue(MesosText.parseResources("").isEmpty());
    assertTrue(MesosText.parseAttributes("  ").isEmpty());
  }

  @Test
  void parsesAttributesOfEachType() {
    List<Attribute> attributes = MesosText.parseAttributes("nfs:true;rack:a;u:1.5;zone:[1-3]");
    assertEquals(Value.Type.TEXT, attributes.get(0).getType());
    assertEquals("true", attributes.get(0).getText().getValue());
    assertEquals("a", attributes.get(1).getText().getValue());
    assertEquals(1.5, attributes.get(2).getScalar().getValue());
    assertEquals(Value.Type.RANGES, attributes.get(3).getType());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no colon                 | cpus",
        "empty value              | cpus:",
        "text value               | cpus:many",
        "unclosed range           | ports:[1-2",
        "reversed range           | ports:[9-1]",
        "range without dash       | ports:[12]",
        "empty range list         | ports:[]",
        "empty set                | s:{}",
        "negative scalar          | cpus:-1",
        "duplicate                | cpus:1;cpus:2",
        "empty item               | cpus:1;;mem:2",
        "bad name                 | c pus:1",
        "bad role                 | cpus(a b):1",
        "huge bound               | ports:[1-99999999999999999999]"
      })
  void rejectsBadResources(String why, String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MesosText.parseResources(text));
    assertTrue(e.getMessage().length() > 10, why + ": " + e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "set attribute   | rack:{a,b}",
        "no value        | rack:",
        "bad text        | rack:a b",
        "no colon        | rack"
      })
  void rejectsBadAttributes(String why, String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MesosText.parseAttributes(text));
    assertTrue(e.getMessage().contains("rack"), why + ": " + e.getMessage());
  }
}
