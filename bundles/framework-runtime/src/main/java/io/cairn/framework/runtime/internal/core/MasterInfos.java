package io.cairn.framework.runtime.internal.core;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.cairn.proto.mesos.v1.Protos.MasterInfo;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Finds the leading master among the children of a Mesos ZooKeeper path ({@code zk://.../mesos}):
 * the contender with the lowest sequence number among {@code json.info_<seq>} znodes leads (Mesos
 * {@code src/master/detector/zookeeper.cpp}); its data is the MasterInfo as JSON.
 */
public final class MasterInfos {
  private static final String PREFIX = "json.info_";

  private MasterInfos() {}

  /** The leader's znode name among {@code children}, if any. */
  public static Optional<String> leaderZnode(Iterable<String> children) {
    TreeMap<String, String> bySequence = new TreeMap<>();
    for (String child : children) {
      if (child.startsWith(PREFIX) && child.length() > PREFIX.length()) {
        bySequence.put(child.substring(PREFIX.length()), child);
      }
    }
    return bySequence.isEmpty() ? Optional.empty() : Optional.of(bySequence.firstEntry()
        .getValue());
  }

  /** {@code host:port} of the master described by a {@code json.info} znode's data. */
  public static String address(byte[] json) {
    MasterInfo.Builder info = MasterInfo.newBuilder();
    try {
      JsonFormat.parser().ignoringUnknownFields().merge(new String(json, StandardCharsets.UTF_8),
          info);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("MasterInfo znode is not MasterInfo JSON: "
          + e.getMessage(), e);
    }
    String host = info.getAddress().getHostname();
    if (host.isEmpty()) {
      host = info.getAddress().getIp();
    }
    if (host.isEmpty()) {
      host = info.getHostname();
    }
    int port = info.getAddress().getPort() != 0 ? info.getAddress().getPort() : info.getPort();
    if (host.isEmpty() || port <= 0) {
      throw new IllegalArgumentException("MasterInfo has no address: " + info);
    }
    return host + ":" + port;
  }

  /** The leader's address from a snapshot of the children and their data. */
  public static Optional<String> leaderAddress(Map<String, byte[]> childrenData) {
    return leaderZnode(childrenData.keySet()).map(name -> address(childrenData.get(name)));
  }

  /**
   * The {@code host:port} a {@code Location} header of a 307 points at: Mesos writes {@code
   * //host:port/path}, others a full URL.
   */
  public static Optional<String> redirectTarget(String location) {
    String rest = location;
    int scheme = rest.indexOf("://");
    if (scheme >= 0) {
      rest = rest.substring(scheme + 3);
    } else if (rest.startsWith("//")) {
      rest = rest.substring(2);
    } else {
      return Optional.empty();
    }
    int slash = rest.indexOf('/');
    String hostPort = slash >= 0 ? rest.substring(0, slash) : rest;
    return hostPort.isEmpty() ? Optional.empty() : Optional.of(hostPort);
  }
}
