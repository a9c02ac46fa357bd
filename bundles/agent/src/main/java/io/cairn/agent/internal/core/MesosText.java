package io.cairn.agent.internal.core;

import io.cairn.proto.mesos.v1.Protos.Attribute;
import io.cairn.proto.mesos.v1.Protos.Resource;
import io.cairn.proto.mesos.v1.Protos.Value;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the agent's {@code resources} and {@code attributes} in Mesos's text syntax
 * (docs/attributes-resources.md): {@code cpus:10;mem:200000;ports:[31000-32000];bugs(role):{a,b}}
 * and {@code nfs:true;rack:a;u:1.5;zone:[1-3]}. A value is a range list {@code [a-b,c-d]}, a set
 * {@code {a,b}}, a scalar (a decimal number) or text ({@code [a-zA-Z0-9_/.-]}). Resources take
 * scalars, ranges and sets and an optional static reservation {@code name(role)}; attributes take
 * text, scalars and ranges (Mesos rejects sets there too). Mesos's JSON form is not accepted.
 * Pure and stateless; every error is one sentence naming the item and what was expected.
 */
public final class MesosText {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_./-]+");
  private static final Pattern RESOURCE_NAME =
      Pattern.compile("([A-Za-z0-9_./-]+)(?:\\(([^()]*)\\))?");
  private static final Pattern SCALAR = Pattern.compile("[0-9]+(\\.[0-9]+)?");
  private static final Pattern TEXT = Pattern.compile("[A-Za-z0-9_/.-]+");
  private static final Pattern RANGE = Pattern.compile("([0-9]+)-([0-9]+)");

  private MesosText() {}

  /** The resources of {@code text}; fails with a sentence on the first bad item. */
  public static List<Resource> parseResources(String text) {
    List<Resource> resources = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (String item : items(text)) {
      int colon = item.indexOf(':');
      require(colon > 0, "resource '%s' is not name:value", item);
      Matcher name = RESOURCE_NAME.matcher(item.substring(0, colon).trim());
      require(name.matches(), "resource '%s' has a bad name; expected name or name(role)", item);
      String role = name.group(2) == null ? "*" : name.group(2).trim();
      require(
          role.equals("*") || TEXT.matcher(role).matches(),
          "resource '%s' has a bad role '%s'",
          item,
          role);
      require(
          seen.add(name.group(1) + "(" + role + ")"),
          "resource '%s' is given twice for role %s",
          name.group(1),
          role);
      Value value = parseValue(item, item.substring(colon + 1).trim());
      require(
          value.getType() != Value.Type.TEXT,
          "resource '%s' has a text value; resources are scalars, [ranges] or {sets}",
          item);
      if (value.getType() == Value.Type.SCALAR) {
        require(
            value.getScalar().getValue() >= 0, "resource '%s' must not be negative", item);
      }
      Resource.Builder resource =
          Resource.newBuilder().setName(name.group(1)).setType(value.getType());
      switch (value.getType()) {
        case SCALAR -> resource.setScalar(value.getScalar());
        case RANGES -> resource.setRanges(value.getRanges());
        default -> resource.setSet(value.getSet());
      }
      if (!role.equals("*")) {
        resource.addReservations(
            Resource.ReservationInfo.newBuilder()
                .setType(Resource.ReservationInfo.Type.STATIC)
                .setRole(role));
      }
      resources.add(resource.build());
    }
    return resources;
  }

  /** The attributes of {@code text}; fails with a sentence on the first bad item. */
  public static List<Attribute> parseAttributes(String text) {
    List<Attribute> attributes = new ArrayList<>();
    for (String item : items(text)) {
      int colon = item.indexOf(':');
      require(colon > 0, "attribute '%s' is not name:value", item);
      String name = item.substring(0, colon).trim();
      require(NAME.matcher(name).matches(), "attribute '%s' has a bad name", item);
      Value value = parseValue(item, item.substring(colon + 1).trim());
      Attribute.Builder attribute = Attribute.newBuilder().setName(name).setType(value.getType());
      switch (value.getType()) {
        case SCALAR -> attribute.setScalar(value.getScalar());
        case RANGES -> attribute.setRanges(value.getRanges());
        case TEXT -> attribute.setText(value.getText());
        default ->
            throw new IllegalArgumentException(
                String.format(
                    "attribute '%s' is a set; attributes are text, scalars or [ranges]", item));
      }
      attributes.add(attribute.build());
    }
    return attributes;
  }

  /** One value: [ranges], {set}, scalar or text. */
  static Value parseValue(String item, String text) {
    require(!text.isEmpty(), "'%s' has an empty value", item);
    if (text.startsWith("[")) {
      require(text.endsWith("]"), "'%s': a range list must end with ']'", item);
      Value.Ranges.Builder ranges = Value.Ranges.newBuilder();
      String body = text.substring(1, text.length() - 1).trim();
      require(!body.isEmpty(), "'%s': the range list is empty", item);
      for (String part : body.split(",", -1)) {
        Matcher range = RANGE.matcher(part.trim());
        require(range.matches(), "'%s': '%s' is not a range like 31000-32000", item, part.trim());
        long begin = parseLong(item, range.group(1));
        long end = parseLong(item, range.group(2));
        require(begin <= end, "'%s': range %s-%s ends before it begins", item, begin, end);
        ranges.addRange(Value.Range.newBuilder().setBegin(begin).setEnd(end));
      }
      return Value.newBuilder().setType(Value.Type.RANGES).setRanges(ranges).build();
    }
    if (text.startsWith("{")) {
      require(text.endsWith("}"), "'%s': a set must end with '}'", item);
      Value.Set.Builder set = Value.Set.newBuilder();
      String body = text.substring(1, text.length() - 1).trim();
      require(!body.isEmpty(), "'%s': the set is empty", item);
      for (String part : body.split(",", -1)) {
        require(TEXT.matcher(part.trim()).matches(), "'%s': bad set item '%s'", item, part);
        set.addItem(part.trim());
      }
      return Value.newBuilder().setType(Value.Type.SET).setSet(set).build();
    }
    if (SCALAR.matcher(text).matches()) {
      return Value.newBuilder()
          .setType(Value.Type.SCALAR)
          .setScalar(Value.Scalar.newBuilder().setValue(Double.parseDouble(text)))
          .build();
    }
    require(
        TEXT.matcher(text).matches(),
        "'%s': value '%s' is neither a number, [ranges], {set} nor text of [a-zA-Z0-9_/.-]",
        item,
        text);
    return Value.newBuilder()
        .setType(Value.Type.TEXT)
        .setText(Value.Text.newBuilder().setValue(text))
        .build();
  }

  /** The text of a resource list in Mesos syntax (for logs, /state and the shell). */
  public static String format(List<Resource> resources) {
    List<String> parts = new ArrayList<>();
    for (Resource resource : resources) {
      String name =
          resource.getName()
              + (resource.getReservationsCount() == 0
                  ? ""
                  : "(" + resource.getReservations(resource.getReservationsCount() - 1).getRole()
                      + ")");
      parts.add(name + ":" + formatValue(resource));
    }
    return String.join(";", parts);
  }

  private static String formatValue(Resource resource) {
    return switch (resource.getType()) {
      case SCALAR -> formatScalar(resource.getScalar().getValue());
      case RANGES -> formatRanges(resource.getRanges());
      case SET -> "{" + String.join(",", resource.getSet().getItemList()) + "}";
      default -> "?";
    };
  }

  /** 10 for 10.0, 0.5 for 0.5. */
  public static String formatScalar(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : Double.toString(value);
  }

  /** {@code [31000-32000,33000-33010]}. */
  public static String formatRanges(Value.Ranges ranges) {
    List<String> parts = new ArrayList<>();
    for (Value.Range range : ranges.getRangeList()) {
      parts.add(range.getBegin() + "-" + range.getEnd());
    }
    return "[" + String.join(",", parts) + "]";
  }

  private static List<String> items(String text) {
    List<String> items = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return items;
    }
    for (String item : text.split(";", -1)) {
      require(!item.isBlank(), "'%s' has an empty item between ';'", text);
      items.add(item.trim());
    }
    return items;
  }

  private static long parseLong(String item, String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          String.format("'%s': %s is too large for a range bound", item, digits), e);
    }
  }

  private static void require(boolean condition, String template, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(template, args));
    }
  }
}
