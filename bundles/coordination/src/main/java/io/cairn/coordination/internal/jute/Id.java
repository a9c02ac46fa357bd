package io.cairn.coordination.internal.jute;

/**
 * An identity in an ACL or an authenticated connection: {@code Id{ustring scheme; ustring id}}.
 *
 * @param scheme world, digest, ip, auth
 * @param id the scheme-specific identity, e.g. {@code anyone} or {@code user:base64(sha1)}
 */
public record Id(String scheme, String id) implements JuteRecord {
  /** world:anyone. */
  public static final Id ANYONE = new Id("world", "anyone");

  @Override
  public void write(JuteOutput out) {
    out.writeString(scheme).writeString(id);
  }

  /** Reads one Id. */
  public static Id read(JuteInput in) throws JuteDecodeException {
    return new Id(in.readString(), in.readString());
  }
}
