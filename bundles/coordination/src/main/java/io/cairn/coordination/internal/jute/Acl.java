package io.cairn.coordination.internal.jute;

import java.util.ArrayList;
import java.util.List;

/**
 * One ACL entry, {@code ACL{int perms; Id id}}; perms READ 1, WRITE 2, CREATE 4, DELETE 8, ADMIN
 * 16, ALL 31.
 *
 * @param perms permission bits
 * @param id who is granted them
 */
public record Acl(int perms, Id id) implements JuteRecord {
  public static final int READ = 1;
  public static final int WRITE = 2;
  public static final int CREATE = 4;
  public static final int DELETE = 8;
  public static final int ADMIN = 16;
  public static final int ALL = 31;

  /** OPEN_ACL_UNSAFE: everything for world:anyone. */
  public static final List<Acl> OPEN = List.of(new Acl(ALL, Id.ANYONE));

  @Override
  public void write(JuteOutput out) {
    out.writeInt(perms);
    id.write(out);
  }

  /** Writes a vector of ACLs; null as count -1. */
  public static void writeList(JuteOutput out, List<Acl> acls) {
    if (acls == null) {
      out.writeInt(-1);
      return;
    }
    out.writeInt(acls.size());
    for (Acl acl : acls) {
      acl.write(out);
    }
  }

  /** Reads a vector of ACLs; null stays null. */
  public static List<Acl> readList(JuteInput in) throws JuteDecodeException {
    int count = in.readVectorCount(12);
    if (count == -1) {
      return null;
    }
    List<Acl> acls = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      acls.add(new Acl(in.readInt(), Id.read(in)));
    }
    return acls;
  }
}
