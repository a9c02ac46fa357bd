package io.cairn.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import io.cairn.proto.agent.AgentMessage;
import io.cairn.proto.agent.AgentRegistered;
import io.cairn.proto.agent.RunTask;
import io.cairn.proto.agent.StatusUpdate;
import io.cairn.proto.agent.StatusUpdateAcknowledgement;
import io.cairn.proto.mesos.v1.Protos;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import javax.inject.Inject;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The agent bundle in a real Karaf: the component activates from etc/io.cairn.agent.cfg on a node
 * with the agent role, connects to a master (here a minimal one inside the test, speaking the
 * channel contract over a plain socket: HTTP upgrade, then length-prefixed AgentMessage frames),
 * registers, runs a real {@code sleep} task whose updates are acknowledged, shows it in {@code
 * agent:tasks} and on {@code /state} (port 15051), and {@code agent:drain} kills it. The whole
 * protocol is unit-tested in bundles/agent; this checks wiring, config and the shell.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AgentIT {
  private static final int MASTER_PORT = 15050;
  private static final int AGENT_HTTP_PORT = 15051;

  @Inject SessionFactory sessions;

  @org.ops4j.pax.exam.Configuration
  public Option[] config() {
    return CairnOptions.distribution(
        editConfigurationFilePut("etc/io.cairn.node.cfg", "node.id", "1"),
        editConfigurationFilePut("etc/io.cairn.node.cfg", "roles", "master,agent"),
        editConfigurationFilePut("etc/io.cairn.node.cfg", "peers", "1@127.0.0.1:17350"),
        editConfigurationFilePut("etc/io.cairn.coordination.cfg", "clientPort", "15181"),
        editConfigurationFilePut("etc/io.cairn.coordination.cfg", "adminPort", "15191"),
        editConfigurationFilePut("etc/io.cairn.agent.cfg", "master", "127.0.0.1:" + MASTER_PORT),
        editConfigurationFilePut("etc/io.cairn.agent.cfg", "http.port", "" + AGENT_HTTP_PORT),
        editConfigurationFilePut("etc/io.cairn.agent.cfg", "hostname", "localhost"),
        editConfigurationFilePut("etc/io.cairn.agent.cfg", "resources",
            "cpus:2;mem:1024;disk:1024;ports:[31000-31010]"),
        editConfigurationFilePut("etc/io.cairn.agent.cfg", "attributes", "rack:it"),
        editConfigurationFilePut("etc/io.cairn.agent.cfg", "status_update_retry_min_ms", "500"));
  }

  @Test
  public void registersRunsATaskShowsItAndDrains() throws Exception {
    Protos.FrameworkInfo framework = Protos.FrameworkInfo.newBuilder().setUser("it")
        .setName("it").setId(Protos.FrameworkID.newBuilder().setValue("fw-it")).build();
    try (ServerSocket server =
        new ServerSocket(MASTER_PORT, 10, InetAddress.getLoopbackAddress())) {
      server.setSoTimeout(90_000); // the agent reconnects with a backoff of at most 10 s
      try (Socket socket = server.accept()) {
        socket.setSoTimeout(30_000);
        DataInputStream in = new DataInputStream(socket.getInputStream());
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        String head = readHead(in);
        assertTrue(head, head.startsWith("GET /cairn/agent/v1 HTTP/1.1"));
        assertTrue(head, head.contains("Upgrade: cairn-agent/1"));
        out.write(("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
            + "Upgrade: cairn-agent/1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));

        AgentMessage register = read(in);
        assertTrue(register.toString(), register.hasRegisterAgent());
        assertEquals("localhost", register.getRegisterAgent().getAgentInfo().getHostname());
        write(out, AgentMessage.newBuilder().setLeaderTerm(1).setAgentRegistered(
            AgentRegistered.newBuilder().setAgentId(Protos.AgentID.newBuilder()
                .setValue("agent-it"))).build());
        write(out, AgentMessage.newBuilder().setLeaderTerm(1).setRunTask(RunTask.newBuilder()
            .setFramework(framework).setTask(Protos.TaskInfo.newBuilder().setName("it-task")
                .setTaskId(Protos.TaskID.newBuilder().setValue("it-task"))
                .setAgentId(Protos.AgentID.newBuilder().setValue("agent-it"))
                .setCommand(Protos.CommandInfo.newBuilder().setValue("exec sleep 60"))))
            .build());
        ack(out, readUpdate(in, TaskState.TASK_STARTING));
        ack(out, readUpdate(in, TaskState.TASK_RUNNING));

        String tasks = execute("agent:tasks");
        assertTrue(tasks, tasks.contains("agent-it") && tasks.contains("REGISTERED"));
        assertTrue(tasks, tasks.contains("it-task") && tasks.contains("TASK_RUNNING"));
        String state = httpGet("/state");
        assertTrue(state, state.contains("\"id\":\"agent-it\""));
        assertTrue(state, state.contains("\"rack\":\"it\""));
        assertTrue(state, state.contains("\"id\":\"it-task\""));
        assertEquals("OK", httpGet("/health"));

        String drain = execute("agent:drain --max-grace-period 1");
        assertTrue(drain, drain.contains("Draining"));
        StatusUpdate killed = readUpdate(in, TaskState.TASK_KILLED);
        ack(out, killed);
      }
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the agent closed the connection during the upgrade");
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static AgentMessage read(DataInputStream in) throws IOException {
    int length = in.readInt();
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return AgentMessage.parseFrom(bytes);
  }

  private static void write(DataOutputStream out, AgentMessage message) throws IOException {
    byte[] bytes = message.toByteArray();
    out.writeInt(bytes.length);
    out.write(bytes);
    out.flush();
  }

  /** The next status update in {@code state} (retries of earlier ones are skipped). */
  private static StatusUpdate readUpdate(DataInputStream in, TaskState state) throws IOException {
    while (true) {
      AgentMessage message = read(in);
      if (message.hasStatusUpdate() && message.getStatusUpdate().getStatus().getState() == state) {
        return message.getStatusUpdate();
      }
    }
  }

  private static void ack(DataOutputStream out, StatusUpdate update) throws IOException {
    write(out, AgentMessage.newBuilder().setLeaderTerm(1).setStatusUpdateAcknowledgement(
        StatusUpdateAcknowledgement.newBuilder().setAgentId(update.getAgentId())
            .setFrameworkId(update.getFrameworkId()).setTaskId(update.getStatus().getTaskId())
            .setUuid(update.getUuid())).build());
  }

  private static String httpGet(String path) throws IOException {
    HttpURLConnection connection = (HttpURLConnection)
        new URL("http://127.0.0.1:" + AGENT_HTTP_PORT + path).openConnection();
    connection.setConnectTimeout(10_000);
    connection.setReadTimeout(10_000);
    try (InputStream body = connection.getInputStream()) {
      return new String(body.readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      connection.disconnect();
    }
  }

  private String execute(String command) {
    return KarafShell.execute(sessions, command);
  }
}
