package io.cairn.coordination.internal.monitor;

import io.cairn.coordination.internal.jute.Frames;
import io.cairn.coordination.internal.server.Introspection;
import io.cairn.coordination.internal.server.ServerConfig;
import io.cairn.coordination.internal.server.Stats;
import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The facts behind the four-letter words and the admin endpoint, as ordered maps keyed the way
 * ZooKeeper names them ({@code mntr} keys without their {@code zk_} prefix, as its AdminServer
 * does). One instance per server; the listeners record their bound ports here. Thread-safe.
 */
public final class ServerFacts {
  /** What {@code srvr} and {@code mntr} report as the version: the protocol we speak. */
  public static final String VERSION = "3.9.5-cairn";

  private final Introspection view;
  private final ServerConfig config;
  private final Map<String, Integer> ports = new ConcurrentHashMap<>();

  public ServerFacts(Introspection view, ServerConfig config) {
    this.view = view;
    this.config = config;
  }

  /** Records a bound listener port ({@code clientPort}, {@code adminPort}) for {@code conf}. */
  public void port(String name, int port) {
    ports.put(name, port);
  }

  /** True when {@code word} is served (by the 4lw listener and the admin endpoint alike). */
  public boolean enabled(String word) {
    return config.fourLetterWords().contains(word);
  }

  /** The server view. */
  public Introspection view() {
    return view;
  }

  /** The counters now. */
  public Stats stats() {
    return view.stats();
  }

  /** {@code mntr}: ZooKeeper's monitor keys, without the {@code zk_} prefix. */
  public Map<String, Object> monitor(Stats stats) {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("version", VERSION);
    facts.put("avg_latency", stats.metrics().avgLatencyMs());
    facts.put("max_latency", stats.metrics().maxLatencyMs());
    facts.put("min_latency", stats.metrics().minLatencyMs());
    facts.put("packets_received", stats.metrics().packetsReceived());
    facts.put("packets_sent", stats.metrics().packetsSent());
    facts.put("num_alive_connections", stats.connections());
    facts.put("outstanding_requests", stats.outstanding());
    facts.put("server_state", stats.mode());
    facts.put("znode_count", stats.znodes());
    facts.put("watch_count", stats.watches());
    facts.put("ephemerals_count", stats.ephemerals());
    facts.put("approximate_data_size", view.approximateDataSize());
    facts.put("uptime", stats.uptimeMs());
    facts.put("global_sessions", stats.sessions());
    facts.put("local_sessions", 0);
    facts.put("last_zxid", stats.lastZxid());
    return facts;
  }

  /** {@code srvr}'s server_stats object (ZooKeeper's ServerStats bean names). */
  public Map<String, Object> serverStats(Stats stats) {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("packets_sent", stats.metrics().packetsSent());
    facts.put("packets_received", stats.metrics().packetsReceived());
    facts.put("max_latency", stats.metrics().maxLatencyMs());
    facts.put("min_latency", stats.metrics().minLatencyMs());
    facts.put("avg_latency", stats.metrics().avgLatencyMs());
    facts.put("outstanding_requests", stats.outstanding());
    facts.put("server_state", stats.mode());
    facts.put("num_alive_client_connections", stats.connections());
    facts.put("last_processed_zxid", stats.lastZxid());
    facts.put("uptime", stats.uptimeMs());
    return facts;
  }

  /** {@code conf}: camelCase keys as the 4lw prints them, in a stable order. */
  public Map<String, Object> configuration() {
    Map<String, Object> facts = new LinkedHashMap<>();
    Integer clientPort = ports.get("clientPort");
    if (clientPort != null) {
      facts.put("clientPort", clientPort);
    }
    facts.put("serverId", view.nodeId());
    facts.put("tickTime", config.tickMs());
    facts.put("minSessionTimeout", config.minSessionTimeoutMs());
    facts.put("maxSessionTimeout", config.maxSessionTimeoutMs());
    facts.put("znode.container.checkIntervalMs", config.containerCheckIntervalMs());
    facts.put("jute.maxbuffer", Frames.MAX_FRAME_BYTES);
    facts.put("4lw.commands.whitelist", String.join(",", new TreeSet<>(
        config.fourLetterWords())));
    Integer adminPort = ports.get("adminPort");
    if (adminPort != null) {
      facts.put("admin.serverPort", adminPort);
    }
    return facts;
  }

  /** {@code conf} for JSON: ZooKeeper's ZooKeeperServerConf keys where one exists. */
  public Map<String, Object> configurationJson() {
    Map<String, Object> text = configuration();
    Map<String, Object> facts = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : text.entrySet()) {
      String key =
          switch (entry.getKey()) {
            case "clientPort" -> "client_port";
            case "serverId" -> "server_id";
            case "tickTime" -> "tick_time";
            case "minSessionTimeout" -> "min_session_timeout";
            case "maxSessionTimeout" -> "max_session_timeout";
            default -> entry.getKey();
          };
      facts.put(key, entry.getValue());
    }
    return facts;
  }

  /** {@code envi}: ZooKeeper's Environment entries, from the running JVM. */
  public Map<String, Object> environment() {
    RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
    Map<String, String> properties = runtime.getSystemProperties();
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("zookeeper.version", VERSION);
    facts.put("host.name", hostName());
    for (String key :
        List.of(
            "java.version",
            "java.vendor",
            "java.home",
            "java.class.path",
            "java.library.path",
            "java.io.tmpdir",
            "os.name",
            "os.arch",
            "os.version",
            "user.name",
            "user.home",
            "user.dir")) {
      facts.put(key, properties.getOrDefault(key, "<NA>"));
    }
    facts.put("java.compiler", "<NA>");
    Runtime jvm = Runtime.getRuntime();
    facts.put("os.memory.free", jvm.freeMemory() / (1024 * 1024) + "MB");
    facts.put("os.memory.max", jvm.maxMemory() / (1024 * 1024) + "MB");
    facts.put("os.memory.total", jvm.totalMemory() / (1024 * 1024) + "MB");
    return facts;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "<NA>";
    }
  }

  /** {@code wchs}: the watch summary. */
  public Map<String, Object> watchSummary(Stats stats) {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("num_connections", stats.watchingConnections());
    facts.put("num_paths", stats.watchedPaths());
    facts.put("num_total_watches", stats.watches());
    return facts;
  }

  /** {@code wchc}: session id to watched paths (this node's watches). */
  public Map<Long, List<String>> watchesBySession() {
    Map<Long, List<String>> bySession = new TreeMap<>();
    for (Introspection.WatchInfo watch : view.watches()) {
      bySession.computeIfAbsent(watch.sessionId(), id -> new ArrayList<>()).add(watch.path());
    }
    return bySession;
  }

  /** {@code wchp}: path to watching session ids (this node's watches). */
  public Map<String, List<Long>> watchesByPath() {
    Map<String, List<Long>> byPath = new TreeMap<>();
    for (Introspection.WatchInfo watch : view.watches()) {
      byPath.computeIfAbsent(watch.path(), p -> new ArrayList<>()).add(watch.sessionId());
    }
    return byPath;
  }

  /** {@code cons}: one map per connection, ZooKeeper's connection-info names. */
  public List<Map<String, Object>> connections() {
    List<Map<String, Object>> all = new ArrayList<>();
    for (Introspection.ConnectionInfo c : view.connections()) {
      Map<String, Object> facts = new LinkedHashMap<>();
      facts.put("remote_socket_address", c.remote());
      facts.put("interest_ops", 1);
      facts.put("outstanding_requests", c.queued() + c.inflight());
      facts.put("packets_received", c.received());
      facts.put("packets_sent", c.sent());
      facts.put("session_id", "0x" + Long.toHexString(c.sessionId()));
      facts.put("session_timeout", c.timeoutMs());
      all.add(facts);
    }
    return all;
  }
}
