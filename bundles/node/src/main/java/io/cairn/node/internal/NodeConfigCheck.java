package io.cairn.node.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Command-line check run by the {@code ./cairn} launcher before it starts Karaf, so that a bad
 * {@code etc/io.cairn.node.cfg} stops start-up at once with one sentence instead of a node that
 * never becomes ready. Usage: {@code java -cp cairn-node.jar io.cairn.node.internal.NodeConfigCheck
 * FILE [SHOWN-NAME]}; {@code ${name}} placeholders are replaced from system properties as Felix
 * FileInstall does. Exits 0 when valid, 2 with the sentence on standard error otherwise.
 */
public final class NodeConfigCheck {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

  private NodeConfigCheck() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: NodeConfigCheck FILE [SHOWN-NAME]");
      System.exit(64);
    }
    Path file = Path.of(args[0]);
    String shown = args.length > 1 ? args[1] : args[0];
    String error = check(file, shown);
    if (error != null) {
      System.err.println(error);
      System.exit(2);
    }
  }

  /** Returns null when the file is valid, else the sentence that explains why not. */
  static String check(Path file, String shown) throws IOException {
    if (!Files.isReadable(file)) {
      return shown + " is missing or unreadable; expected the node configuration there.";
    }
    Properties raw = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      raw.load(in);
    }
    Map<String, String> props = new HashMap<>();
    for (String key : raw.stringPropertyNames()) {
      props.put(key, substitute(raw.getProperty(key)));
    }
    try {
      new NodeConfigParser(shown).parse(props);
      return null;
    } catch (NodeConfigException e) {
      return e.getMessage();
    }
  }

  static String substitute(String value) {
    Matcher m = PLACEHOLDER.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement = System.getProperty(m.group(1), m.group(0));
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
