package io.cairn.coordination.internal.core;

import io.cairn.coordination.internal.jute.Acl;
import io.cairn.coordination.internal.jute.Id;
import java.util.ArrayList;
import java.util.List;

/**
 * ACL validation and checks for the schemes world, digest, ip and auth (ZooKeeper's {@code
 * PrepRequestProcessor.fixupACL/checkACL} and the scheme providers). Pure functions.
 */
public final class Acls {
  private Acls() {}

  /**
   * Validates {@code acl} and expands the {@code auth} scheme into the caller's authenticated
   * (digest) ids.
   *
   * @return the ACL to store, or null when it is invalid (InvalidACL)
   */
  public static List<Acl> fixup(List<Acl> acl, List<Id> callerIds) {
    if (acl == null || acl.isEmpty()) {
      return null;
    }
    List<Acl> fixed = new ArrayList<>();
    for (Acl entry : acl) {
      Id id = entry.id();
      if (id == null || id.scheme() == null || id.id() == null) {
        return null;
      }
      if (id.scheme().equals("auth")) {
        boolean any = false;
        for (Id caller : callerIds) {
          if (caller.scheme().equals("digest")) {
            fixed.add(new Acl(entry.perms(), caller));
            any = true;
          }
        }
        if (!any) {
          return null;
        }
      } else if (validId(id)) {
        fixed.add(entry);
      } else {
        return null;
      }
    }
    return List.copyOf(fixed);
  }

  private static boolean validId(Id id) {
    return switch (id.scheme()) {
      case "world" -> id.id().equals("anyone");
      case "digest" -> id.id().split(":", -1).length == 2;
      case "ip" -> parseIp(id.id()) != null;
      default -> false;
    };
  }

  /** True when one of {@code callerIds} (or world:anyone) holds {@code perm} in {@code acl}. */
  public static boolean allowed(List<Acl> acl, int perm, List<Id> callerIds) {
    for (Acl entry : acl) {
      if ((entry.perms() & perm) == 0) {
        continue;
      }
      Id id = entry.id();
      if (id.scheme().equals("world") && id.id().equals("anyone")) {
        return true;
      }
      for (Id caller : callerIds) {
        if (caller.scheme().equals(id.scheme()) && matches(id, caller)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean matches(Id aclId, Id caller) {
    if (!aclId.scheme().equals("ip")) {
      return aclId.id().equals(caller.id());
    }
    int[] pattern = parseIp(aclId.id());
    int[] address = parseIp(caller.id());
    if (pattern == null || address == null || pattern.length != address.length) {
      return false;
    }
    int bits = pattern[pattern.length - 1];
    for (int i = 0; i < pattern.length - 1 && bits > 0; i++, bits -= 8) {
      int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
      if ((pattern[i] & mask) != (address[i] & mask)) {
        return false;
      }
    }
    return true;
  }

  /** Parses dotted IPv4 with an optional /bits into 4 octets + bits, or null when malformed. */
  static int[] parseIp(String text) {
    String[] parts = text.split("/", -1);
    if (parts.length > 2) {
      return null;
    }
    String[] octets = parts[0].split("\\.", -1);
    if (octets.length != 4) {
      return null;
    }
    int[] result = new int[5];
    try {
      for (int i = 0; i < 4; i++) {
        result[i] = Integer.parseInt(octets[i]);
        if (octets[i].isEmpty() || result[i] < 0 || result[i] > 255) {
          return null;
        }
      }
      result[4] = parts.length == 2 ? Integer.parseInt(parts[1]) : 32;
    } catch (NumberFormatException e) {
      return null;
    }
    return result[4] < 0 || result[4] > 32 ? null : result;
  }
}
