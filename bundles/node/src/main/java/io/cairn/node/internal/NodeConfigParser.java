package io.cairn.node.internal;

import io.cairn.env.NodeInfo;
import io.cairn.env.Peer;
import io.cairn.env.Role;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the raw properties of {@code io.cairn.node} into a validated {@link NodeInfo}, or a
 * {@link NodeConfigException} whose message names the file, key, value and what is expected.
 *
 * <p>Used both inside Karaf (by {@link NodeConfigComponent}) and by the launcher before Karaf
 * starts (through {@link NodeConfigCheck}), so the rules live in one place.
 */
public final class NodeConfigParser {
  public static final String PID = "io.cairn.node";
  public static final String NODE_ID = "node.id";
  public static final String ROLES = "roles";
  public static final String DATA_DIR = "data.dir";
  public static final String PEERS = "peers";

  private static final Pattern PEER = Pattern.compile("(\\d+)@([A-Za-z0-9.\\-]+|\\[[0-9a-fA-F:]+\\]):(\\d{1,5})");

  private final String source;

  /** @param source how the operator knows the file, e.g. {@code etc/io.cairn.node.cfg} */
  public NodeConfigParser(String source) {
    this.source = source;
  }

  /** Validates {@code props}; creates {@code data.dir} if missing and checks it is writable. */
  public NodeInfo parse(Map<String, ?> props) throws NodeConfigException {
    int nodeId = parseNodeId(text(props, NODE_ID));
    Set<Role> roles = parseRoles(text(props, ROLES));
    List<Peer> peers = parsePeers(text(props, PEERS));
    Path dataDir = parseDataDir(text(props, DATA_DIR));
    if (roles.contains(Role.MASTER) && peers.stream().noneMatch(p -> p.id() == nodeId)) {
      throw fail(PEERS, text(props, PEERS),
          "a master must list itself, so expected an entry " + nodeId + "@host:port for node.id "
              + nodeId);
    }
    return new NodeInfo(nodeId, roles, dataDir, peers);
  }

  private static String text(Map<String, ?> props, String key) {
    Object value = props.get(key);
    return value == null ? null : String.valueOf(value).trim();
  }

  private int parseNodeId(String value) throws NodeConfigException {
    String expected = "expected a whole number from 1 to 2147483647";
    if (value == null || value.isEmpty()) {
      throw fail(NODE_ID, value, expected);
    }
    try {
      int id = Integer.parseInt(value);
      if (id < 1) {
        throw fail(NODE_ID, value, expected);
      }
      return id;
    } catch (NumberFormatException e) {
      throw fail(NODE_ID, value, expected);
    }
  }

  private Set<Role> parseRoles(String value) throws NodeConfigException {
    String expected = "expected a comma-separated list of master and agent, e.g. master,agent";
    if (value == null || value.isEmpty()) {
      throw fail(ROLES, value, expected);
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String part : value.split(",")) {
      String name = part.trim().toLowerCase(Locale.ROOT);
      Role role = switch (name) {
        case "master" -> Role.MASTER;
        case "agent" -> Role.AGENT;
        default -> throw fail(ROLES, value, "'" + part.trim() + "' is not a role; " + expected);
      };
      roles.add(role);
    }
    return roles;
  }

  private List<Peer> parsePeers(String value) throws NodeConfigException {
    List<Peer> peers = new ArrayList<>();
    if (value == null || value.isEmpty()) {
      return peers;
    }
    String expected = "expected a comma-separated list of id@host:port, e.g. 1@10.0.0.1:7070,2@10.0.0.2:7070";
    Set<Integer> ids = new HashSet<>();
    for (String part : value.split(",")) {
      Matcher m = PEER.matcher(part.trim());
      if (!m.matches()) {
        throw fail(PEERS, value, "'" + part.trim() + "' is not id@host:port; " + expected);
      }
      long id = Long.parseLong(m.group(1));
      int port = Integer.parseInt(m.group(3));
      if (id < 1 || id > Integer.MAX_VALUE || port < 1 || port > 65535) {
        throw fail(PEERS, value,
            "'" + part.trim() + "' needs an id from 1 and a port from 1 to 65535; " + expected);
      }
      if (!ids.add((int) id)) {
        throw fail(PEERS, value, "node id " + id + " appears twice; " + expected);
      }
      peers.add(new Peer((int) id, m.group(2), port));
    }
    return peers;
  }

  private Path parseDataDir(String value) throws NodeConfigException {
    if (value == null || value.isEmpty()) {
      throw fail(DATA_DIR, value, "expected the path of a writable directory");
    }
    Path dir;
    try {
      dir = Path.of(value).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw fail(DATA_DIR, value, "expected the path of a writable directory (" + e.getReason() + ")");
    }
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".write-check", ".tmp");
      Files.delete(probe);
    } catch (IOException | SecurityException e) {
      throw fail(DATA_DIR, value,
          "expected a directory Cairn can create and write, but " + describe(e));
    }
    return dir;
  }

  private static String describe(Exception e) {
    if (e instanceof AccessDeniedException denied) {
      return "permission was denied on " + denied.getFile();
    }
    if (e instanceof FileAlreadyExistsException exists) {
      return exists.getFile() + " exists and is not a directory";
    }
    if (e instanceof FileSystemException fs) {
      return fs.getFile() + " could not be created or written"
          + (fs.getReason() == null ? "" : " (" + fs.getReason() + ")");
    }
    return e.toString();
  }

  private NodeConfigException fail(String key, String value, String expected) {
    String shown = value == null ? "is missing" : "= '" + value + "' is not valid";
    return new NodeConfigException(source + ": " + key + " " + shown + "; " + expected + ".");
  }
}
