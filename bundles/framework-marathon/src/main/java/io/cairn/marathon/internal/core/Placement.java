package io.cairn.marathon.internal.core;

import io.cairn.proto.mesos.v1.Protos.Attribute;
import io.cairn.proto.mesos.v1.Protos.Offer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Where an instance runs, as constraints see it: the hostname and formatted attributes. */
public record Placement(String hostname, Map<String, String> attributes) {
  public Placement {
    attributes = Map.copyOf(attributes);
  }

  /**
   * The offer's agent as constraints see it: its attributes formatted as Marathon reads them,
   * plus {@code @region} and {@code @zone} from its fault domain.
   */
  static Placement of(Offer offer) {
    Map<String, String> attributes = new HashMap<>();
    for (Attribute attribute : offer.getAttributesList()) {
      attributes.put(attribute.getName(), format(attribute));
    }
    if (offer.hasDomain() && offer.getDomain().hasFaultDomain()) {
      attributes.put("@region", offer.getDomain().getFaultDomain().getRegion().getName());
      attributes.put("@zone", offer.getDomain().getFaultDomain().getZone().getName());
    }
    return new Placement(offer.getHostname(), attributes);
  }

  private static String format(Attribute attribute) {
    return switch (attribute.getType()) {
      case SCALAR -> new BigDecimal(attribute.getScalar().getValue())
          .setScale(3, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
      case RANGES -> attribute.getRanges().getRangeList().stream()
          .map(r -> r.getBegin() + "-" + r.getEnd()).collect(Collectors.joining(",", "[", "]"));
      case SET -> attribute.getSet().getItemList().stream()
          .collect(Collectors.joining(",", "{", "}"));
      case TEXT -> attribute.getText().getValue();
      default -> "";
    };
  }

  /** The value of a constraint field, or null when the agent lacks it. */
  public String value(String field) {
    if (field.equals("hostname") || field.equals("@hostname")) {
      return hostname;
    }
    return attributes.get(field);
  }
}
