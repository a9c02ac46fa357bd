package io.cairn.coordination.internal.jute;

import io.cairn.coordination.internal.jute.Requests.Request;

/**
 * Whole frames (the payload after the 4-byte length prefix): the headerless connect handshake, and
 * {@code RequestHeader{int xid; int type}} + body after it. The decoders throw only {@link
 * JuteDecodeException} on any input.
 */
public final class Frames {
  /** jute.maxbuffer's default: the largest frame payload accepted, 0xfffff bytes. */
  public static final int MAX_FRAME_BYTES = 0xfffff;

  private Frames() {}

  /** A decoded request frame. */
  public record RequestFrame(int xid, int type, Request body) {}

  /**
   * {@code ConnectRequest{protocolVersion, lastZxidSeen, timeOut, sessionId, passwd, readOnly}};
   * readOnly is absent in old clients and then false.
   */
  public record ConnectRequest(
      int protocolVersion,
      long lastZxidSeen,
      int timeoutMs,
      long sessionId,
      byte[] password,
      boolean readOnly)
      implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
      out.writeInt(protocolVersion).writeLong(lastZxidSeen).writeInt(timeoutMs);
      out.writeLong(sessionId).writeBuffer(password).writeBool(readOnly);
    }
  }

  /** {@code ConnectResponse{protocolVersion, timeOut, sessionId, passwd, readOnly}}. */
  public record ConnectResponse(
      int protocolVersion, int timeoutMs, long sessionId, byte[] password, boolean readOnly)
      implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
      out.writeInt(protocolVersion).writeInt(timeoutMs).writeLong(sessionId);
      out.writeBuffer(password).writeBool(readOnly);
    }

    /** Reads a connect response (used by tests). */
    public static ConnectResponse read(JuteInput in) throws JuteDecodeException {
      return new ConnectResponse(
          in.readInt(),
          in.readInt(),
          in.readLong(),
          in.readBuffer(),
          in.remaining() > 0 && in.readBool());
    }
  }

  /** Decodes the first frame of a connection. */
  public static ConnectRequest decodeConnect(byte[] frame) throws JuteDecodeException {
    JuteInput in = new JuteInput(frame);
    ConnectRequest request =
        new ConnectRequest(
            in.readInt(),
            in.readLong(),
            in.readInt(),
            in.readLong(),
            in.readBuffer(),
            in.remaining() > 0 && in.readBool());
    if (request.password() == null) {
      throw new JuteDecodeException("connect request without a password buffer");
    }
    return request;
  }

  /** Decodes a request frame: header, then the body for its opcode. */
  public static RequestFrame decodeRequest(byte[] frame) throws JuteDecodeException {
    JuteInput in = new JuteInput(frame);
    int xid = in.readInt();
    int type = in.readInt();
    return new RequestFrame(xid, type, Requests.read(type, in));
  }

  /** Encodes a request frame (header + body), the inverse of {@link #decodeRequest}. */
  public static byte[] encodeRequest(RequestFrame frame) {
    JuteOutput out = new JuteOutput();
    out.writeInt(frame.xid()).writeInt(frame.type());
    Requests.write(frame.type(), frame.body(), out);
    return out.toByteArray();
  }

  /**
   * Encodes a reply: {@code ReplyHeader{xid, zxid, err}} and, when {@code err == 0} and there is
   * one, the body. On error ZooKeeper sends the header only.
   */
  public static byte[] encodeReply(int xid, long zxid, int err, JuteRecord body) {
    JuteOutput out = new JuteOutput();
    out.writeInt(xid).writeLong(zxid).writeInt(err);
    if (err == Code.OK && body != null) {
      body.write(out);
    }
    return out.toByteArray();
  }
}
