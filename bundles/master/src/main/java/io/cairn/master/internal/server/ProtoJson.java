package io.cairn.master.internal.server;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.MessageOrBuilder;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Protobuf messages as the JSON Mesos writes for its v1 APIs (stout's {@code JSON::protobuf}):
 * proto field names, enums by name, bytes in base64, and 64-bit integers as JSON numbers.
 * Protobuf's own {@code JsonFormat} writes 64-bit integers as strings (the proto3 JSON mapping),
 * so a port range came out as {@code {"begin":"31000","end":"32000"}} where Mesos's clients read
 * {@code {"begin":31000,"end":32000}} and do arithmetic on it. Parsing still goes through
 * {@code JsonFormat.parser()}, which takes both forms.
 */
final class ProtoJson {
  private ProtoJson() {}

  static String print(MessageOrBuilder message) {
    StringBuilder out = new StringBuilder(256);
    message(out, message);
    return out.toString();
  }

  private static void message(StringBuilder out, MessageOrBuilder message) {
    out.append('{');
    boolean first = true;
    // getAllFields: the set fields (and non-empty repeated ones), in field-number order.
    for (Map.Entry<FieldDescriptor, Object> entry : message.getAllFields().entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      FieldDescriptor field = entry.getKey();
      string(out, field.getName());
      out.append(':');
      if (field.isMapField()) {
        map(out, field, (List<?>) entry.getValue());
      } else if (field.isRepeated()) {
        out.append('[');
        List<?> values = (List<?>) entry.getValue();
        for (int i = 0; i < values.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          value(out, field, values.get(i));
        }
        out.append(']');
      } else {
        value(out, field, entry.getValue());
      }
    }
    out.append('}');
  }

  /** A map field as one JSON object (keys as strings), as protobuf's JSON mapping has it. */
  private static void map(StringBuilder out, FieldDescriptor field, List<?> entries) {
    FieldDescriptor key = field.getMessageType().findFieldByName("key");
    FieldDescriptor value = field.getMessageType().findFieldByName("value");
    out.append('{');
    for (int i = 0; i < entries.size(); i++) {
      MessageOrBuilder entry = (MessageOrBuilder) entries.get(i);
      if (i > 0) {
        out.append(',');
      }
      string(out, String.valueOf(entry.getField(key)));
      out.append(':');
      value(out, value, entry.getField(value));
    }
    out.append('}');
  }

  private static void value(StringBuilder out, FieldDescriptor field, Object value) {
    switch (field.getJavaType()) {
      case MESSAGE -> message(out, (MessageOrBuilder) value);
      case STRING -> string(out, (String) value);
      case ENUM -> string(out, ((EnumValueDescriptor) value).getName());
      case BYTE_STRING -> string(out, Base64.getEncoder().encodeToString(
          ((ByteString) value).toByteArray()));
      case BOOLEAN -> out.append(((Boolean) value).booleanValue());
      case INT -> {
        int v = (Integer) value;
        boolean unsigned = field.getType() == FieldDescriptor.Type.UINT32
            || field.getType() == FieldDescriptor.Type.FIXED32;
        out.append(unsigned ? Integer.toUnsignedString(v) : Integer.toString(v));
      }
      case LONG -> {
        long v = (Long) value;
        boolean unsigned = field.getType() == FieldDescriptor.Type.UINT64
            || field.getType() == FieldDescriptor.Type.FIXED64;
        out.append(unsigned ? Long.toUnsignedString(v) : Long.toString(v));
      }
      case DOUBLE -> number(out, (Double) value);
      case FLOAT -> {
        float v = (Float) value;
        if (Float.isFinite(v)) {
          out.append(Float.toString(v));
        } else {
          string(out, Float.toString(v)); // "NaN", "Infinity", as JsonFormat writes them
        }
      }
    }
  }

  private static void number(StringBuilder out, double v) {
    if (Double.isFinite(v)) {
      out.append(Double.toString(v));
    } else {
      string(out, Double.toString(v));
    }
  }

  private static void string(StringBuilder out, String s) {
    Json.quote(out, s);
  }
}
