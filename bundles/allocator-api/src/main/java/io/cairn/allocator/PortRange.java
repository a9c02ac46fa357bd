package io.cairn.allocator;

import org.osgi.annotation.versioning.ProviderType;

/** An inclusive range of ports {@code [begin, end]}, within 0..65535. */
@ProviderType
public record PortRange(int begin, int end) {
  /** Validates the bounds. */
  public PortRange {
    Checks.argument(
        0 <= begin && begin <= end && end <= 65535,
        "port range [%s-%s] must satisfy 0 <= begin <= end <= 65535", begin, end);
  }

  /** The number of ports in the range. */
  public int count() {
    return end - begin + 1;
  }

  @Override
  public String toString() {
    return begin == end ? Integer.toString(begin) : begin + "-" + end;
  }
}
