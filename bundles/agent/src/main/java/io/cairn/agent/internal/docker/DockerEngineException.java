package io.cairn.agent.internal.docker;

/** The engine refused an operation or could not be reached; the message says which and why. */
public final class DockerEngineException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** With the engine's reason. */
  public DockerEngineException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Without a cause. */
  public DockerEngineException(String message) {
    super(message);
  }
}
