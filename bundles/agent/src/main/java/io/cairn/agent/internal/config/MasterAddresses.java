package io.cairn.agent.internal.config;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the agent looks for the leading master: {@code host:port[,host:port...]}, tried in order
 * (a non-leader answers 307 naming the leader), or {@code zk://host:port[,host:port]/path}: the
 * leader's MasterInfo is read from the lowest {@code json.info_*} child of the path, as Mesos's
 * detector does.
 *
 * @param masters the candidates, unresolved; empty in the zk form
 * @param zk the ZooKeeper servers and group path, in the zk form
 */
public record MasterAddresses(List<InetSocketAddress> masters, java.util.Optional<ZkUrl> zk) {
  /**
   * A {@code zk://} master: the ZooKeeper servers and the group path (e.g. {@code /mesos}).
   *
   * @param servers at least one
   * @param path absolute, without a trailing slash
   */
  public record ZkUrl(List<InetSocketAddress> servers, String path) {
    /** Copies the list. */
    public ZkUrl {
      servers = List.copyOf(servers);
    }
  }

  /** Copies the list. */
  public MasterAddresses {
    masters = List.copyOf(masters);
  }

  /** A fixed list of masters. */
  public MasterAddresses(List<InetSocketAddress> masters) {
    this(masters, java.util.Optional.empty());
  }

  /** Parses {@code text}; fails with one sentence naming the bad part. */
  public static MasterAddresses parse(String text) {
    String value = text == null ? "" : text.trim();
    if (value.startsWith("zk://")) {
      String rest = value.substring("zk://".length());
      int slash = rest.indexOf('/');
      if (slash <= 0 || slash == rest.length() - 1) {
        throw new IllegalArgumentException("master '" + value
            + "' needs servers and a path, like zk://host1:2181,host2:2181/mesos");
      }
      String path = rest.substring(slash).replaceAll("/+$", "");
      List<InetSocketAddress> servers = new ArrayList<>();
      for (String part : rest.substring(0, slash).split(",", -1)) {
        servers.add(hostPort(value, part.trim()));
      }
      return new MasterAddresses(List.of(), java.util.Optional.of(new ZkUrl(servers, path)));
    }
    List<InetSocketAddress> masters = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      masters.add(hostPort(value, part.trim()));
    }
    return new MasterAddresses(masters);
  }

  /** Parses one {@code host:port}. */
  public static InetSocketAddress hostPort(String context, String part) {
    int colon = part.lastIndexOf(':');
    if (colon <= 0 || colon == part.length() - 1) {
      throw new IllegalArgumentException(
          "master '" + context + "': '" + part + "' is not host:port");
    }
    String host = part.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(part.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "master '" + context + "': port of '" + part + "' is not a number", e);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "master '" + context + "': port " + port + " is outside 1..65535");
    }
    return InetSocketAddress.createUnresolved(host, port);
  }
}
