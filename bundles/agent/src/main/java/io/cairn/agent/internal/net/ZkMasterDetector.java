package io.cairn.agent.internal.net;

import io.cairn.agent.internal.config.MasterAddresses;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the leading master as Mesos's ZooKeeper detector does: the child of the group path (e.g.
 * {@code /mesos}) named {@code json.info_<sequence>} with the lowest sequence holds the leader's
 * MasterInfo as JSON; its {@code address} (ip or hostname, port) is where to connect. Speaks just
 * enough of the ZooKeeper wire protocol (jute: connect, getChildren, getData, closeSession) over a
 * blocking socket, so no ZooKeeper client has to be shipped. Each lookup opens and closes its own
 * session. Blocking: call it off the event loop.
 */
public final class ZkMasterDetector {
  private static final Logger LOG = LoggerFactory.getLogger(ZkMasterDetector.class);
  private static final int OP_GET_DATA = 4;
  private static final int OP_GET_CHILDREN = 8;
  private static final int OP_CLOSE = -11;
  private static final int ERR_NO_NODE = -101;
  private static final int RESPONSE_MAX_BYTES = 4 * 1024 * 1024;
  private static final String PREFIX = "json.info_";

  private ZkMasterDetector() {}

  /** The leading master's {@code host:port}, empty when no server answers or none leads. */
  public static Optional<InetSocketAddress> leader(MasterAddresses.ZkUrl url, Duration timeout) {
    for (InetSocketAddress server : url.servers()) {
      try {
        return lookup(server, url.path(), timeout);
      } catch (IOException e) {
        LOG.debug("ZooKeeper {} did not answer: {}", server, e.getMessage());
      }
    }
    return Optional.empty();
  }

  private static Optional<InetSocketAddress> lookup(InetSocketAddress server, String path,
      Duration timeout) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(server.getHostString(), server.getPort()),
          (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      DataInputStream in = new DataInputStream(socket.getInputStream());
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      connect(in, out, timeout);
      Optional<String> leader = lowestChild(in, out, path);
      Optional<InetSocketAddress> address = Optional.empty();
      if (leader.isPresent()) {
        Optional<byte[]> data = getData(in, out, path + "/" + leader.get());
        address = data.flatMap(d -> masterAddress(new String(d, StandardCharsets.UTF_8)));
      }
      send(out, frame(3, OP_CLOSE, new ByteArrayOutputStream()));
      return address;
    }
  }

  private static void connect(DataInputStream in, DataOutputStream out, Duration timeout)
      throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    DataOutputStream request = new DataOutputStream(body);
    request.writeInt(0); // protocolVersion
    request.writeLong(0); // lastZxidSeen
    request.writeInt((int) Math.max(4000, timeout.toMillis())); // session timeout
    request.writeLong(0); // sessionId
    request.writeInt(16);
    request.write(new byte[16]); // passwd
    request.writeBoolean(false); // readOnly
    send(out, body.toByteArray());
    readFrame(in); // ConnectResponse; a refused session closes the socket
  }

  private static Optional<String> lowestChild(DataInputStream in, DataOutputStream out,
      String path) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    DataOutputStream request = new DataOutputStream(body);
    writeString(request, path);
    request.writeBoolean(false);
    DataInputStream reply = call(in, out, 1, OP_GET_CHILDREN, body);
    if (reply == null) {
      return Optional.empty();
    }
    int count = reply.readInt();
    List<String> children = new ArrayList<>();
    for (int i = 0; i < Math.max(0, count); i++) {
      children.add(readString(reply));
    }
    return lowestSequence(children);
  }

  /** The child named json.info_N with the lowest N. */
  static Optional<String> lowestSequence(List<String> children) {
    String best = null;
    long bestSequence = Long.MAX_VALUE;
    for (String child : children) {
      if (!child.startsWith(PREFIX)) {
        continue;
      }
      try {
        long sequence = Long.parseLong(child.substring(PREFIX.length()));
        if (sequence < bestSequence) {
          bestSequence = sequence;
          best = child;
        }
      } catch (NumberFormatException e) {
        LOG.debug("ignoring znode {} without a sequence number", child);
      }
    }
    return Optional.ofNullable(best);
  }

  private static Optional<byte[]> getData(DataInputStream in, DataOutputStream out, String path)
      throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    DataOutputStream request = new DataOutputStream(body);
    writeString(request, path);
    request.writeBoolean(false);
    DataInputStream reply = call(in, out, 2, OP_GET_DATA, body);
    if (reply == null) {
      return Optional.empty();
    }
    int length = reply.readInt();
    if (length < 0) {
      return Optional.empty();
    }
    byte[] data = new byte[length];
    reply.readFully(data);
    return Optional.of(data);
  }

  /** Sends one request; the reply body after its header, or null for NONODE. */
  private static DataInputStream call(DataInputStream in, DataOutputStream out, int xid, int op,
      ByteArrayOutputStream body) throws IOException {
    send(out, frame(xid, op, body));
    while (true) {
      DataInputStream reply = new DataInputStream(new java.io.ByteArrayInputStream(readFrame(in)));
      int replyXid = reply.readInt();
      reply.readLong(); // zxid
      int err = reply.readInt();
      if (replyXid != xid) {
        continue; // a watch event (-1) or a ping (-2): not ours
      }
      if (err == ERR_NO_NODE) {
        return null;
      }
      if (err != 0) {
        throw new IOException("ZooKeeper answered error " + err + " to operation " + op);
      }
      return reply;
    }
  }

  private static byte[] frame(int xid, int op, ByteArrayOutputStream body) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream header = new DataOutputStream(bytes);
    header.writeInt(xid);
    header.writeInt(op);
    body.writeTo(bytes);
    return bytes.toByteArray();
  }

  private static void send(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
    out.flush();
  }

  private static byte[] readFrame(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > RESPONSE_MAX_BYTES) {
      throw new IOException("ZooKeeper sent a frame of " + length + " bytes");
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }

  private static void writeString(DataOutputStream out, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String readString(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > RESPONSE_MAX_BYTES) {
      throw new IOException("ZooKeeper sent a string of " + length + " bytes");
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static final Pattern ADDRESS = Pattern.compile("\"address\"\\s*:\\s*\\{([^}]*)\\}");
  private static final Pattern IP = Pattern.compile("\"ip\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern HOSTNAME = Pattern.compile("\"hostname\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern PORT = Pattern.compile("\"port\"\\s*:\\s*(\\d+)");
  private static final Pattern PID = Pattern.compile("\"pid\"\\s*:\\s*\"[^@\"]*@([^:\"]+):(\\d+)\"");

  /**
   * Where to connect, from MasterInfo JSON as Mesos writes it: {@code address.ip} (or {@code
   * address.hostname}) and {@code address.port}; else the top-level {@code hostname} and {@code
   * port}; else the {@code pid} ({@code master@ip:port}).
   */
  static Optional<InetSocketAddress> masterAddress(String json) {
    Matcher address = ADDRESS.matcher(json);
    if (address.find()) {
      String inner = address.group(1);
      Matcher ip = IP.matcher(inner);
      Matcher host = HOSTNAME.matcher(inner);
      Matcher port = PORT.matcher(inner);
      String name = ip.find() ? ip.group(1) : host.find() ? host.group(1) : null;
      if (name != null && port.find()) {
        return Optional.of(InetSocketAddress.createUnresolved(name,
            Integer.parseInt(port.group(1))));
      }
    }
    String outer = json.replaceAll("\"address\"\\s*:\\s*\\{[^}]*\\}", "");
    Matcher host = HOSTNAME.matcher(outer);
    Matcher port = PORT.matcher(outer);
    if (host.find() && port.find()) {
      return Optional.of(InetSocketAddress.createUnresolved(host.group(1),
          Integer.parseInt(port.group(1))));
    }
    Matcher pid = PID.matcher(json);
    if (pid.find()) {
      return Optional.of(InetSocketAddress.createUnresolved(pid.group(1),
          Integer.parseInt(pid.group(2))));
    }
    return Optional.empty();
  }
}
