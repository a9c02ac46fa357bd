package io.cairn.master.internal.server;

import io.cairn.proto.agent.AgentMessage;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/** A test agent speaking the agent channel contract over a real socket. */
final class TestAgent implements AutoCloseable {
  private final Socket socket = new Socket();
  private DataInputStream in;
  private DataOutputStream out;

  /** Connects and sends the upgrade request; returns the status line and headers. */
  String connect(InetSocketAddress master) throws IOException {
    socket.connect(master, 5_000);
    socket.setSoTimeout(10_000);
    in = new DataInputStream(socket.getInputStream());
    out = new DataOutputStream(socket.getOutputStream());
    out.write(("GET /cairn/agent/v1 HTTP/1.1\r\nHost: " + master.getHostString() + ":"
        + master.getPort() + "\r\nConnection: Upgrade\r\nUpgrade: cairn-agent/1\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    StringBuilder head = new StringBuilder();
    String line;
    while (!(line = readLine()).isEmpty()) {
      head.append(line).append('\n');
    }
    return head.toString();
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new IOException("connection closed while reading the HTTP head");
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.US_ASCII);
  }

  void send(AgentMessage message) throws IOException {
    byte[] bytes = message.toByteArray();
    out.writeInt(bytes.length);
    out.write(bytes);
    out.flush();
  }

  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** The next frame that matches, skipping others (pings); fails after the socket timeout. */
  AgentMessage await(Predicate<AgentMessage> wanted) throws IOException {
    while (true) {
      int length = in.readInt();
      byte[] bytes = new byte[length];
      in.readFully(bytes);
      AgentMessage message = AgentMessage.parseFrom(bytes);
      if (wanted.test(message)) {
        return message;
      }
    }
  }

  /** True once the master closed the connection (read returns end of stream). */
  boolean closedByMaster() throws IOException {
    try {
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
