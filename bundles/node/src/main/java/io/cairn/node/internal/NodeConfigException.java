package io.cairn.node.internal;

/**
 * A value in {@code etc/io.cairn.node.cfg} that Cairn cannot start with. The message is one
 * sentence naming the file, the key, the value and what is expected, meant for an operator.
 */
public final class NodeConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  NodeConfigException(String message) {
    super(message);
  }
}
