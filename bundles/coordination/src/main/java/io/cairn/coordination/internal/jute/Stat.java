package io.cairn.coordination.internal.jute;

/**
 * A znode's metadata as clients see it: the 11 fields of jute {@code Stat}, 68 bytes, in this
 * order.
 *
 * @param czxid zxid of the create
 * @param mzxid zxid of the last data change
 * @param ctime wall time of the create, ms
 * @param mtime wall time of the last data change, ms
 * @param version data version
 * @param cversion child version (creates + deletes of children)
 * @param aversion ACL version
 * @param ephemeralOwner owning session for ephemerals, else 0
 * @param dataLength data bytes (0 for null)
 * @param numChildren current children
 * @param pzxid zxid of the last child create/delete
 */
public record Stat(
    long czxid,
    long mzxid,
    long ctime,
    long mtime,
    int version,
    int cversion,
    int aversion,
    long ephemeralOwner,
    int dataLength,
    int numChildren,
    long pzxid)
    implements JuteRecord {

  @Override
  public void write(JuteOutput out) {
    out.writeLong(czxid).writeLong(mzxid).writeLong(ctime).writeLong(mtime);
    out.writeInt(version).writeInt(cversion).writeInt(aversion);
    out.writeLong(ephemeralOwner).writeInt(dataLength).writeInt(numChildren).writeLong(pzxid);
  }

  /** Reads one Stat. */
  public static Stat read(JuteInput in) throws JuteDecodeException {
    return new Stat(
        in.readLong(),
        in.readLong(),
        in.readLong(),
        in.readLong(),
        in.readInt(),
        in.readInt(),
        in.readInt(),
        in.readLong(),
        in.readInt(),
        in.readInt(),
        in.readLong());
  }
}
