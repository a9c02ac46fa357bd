package io.cairn.simulation;

/** A safety or liveness property was violated in a simulated run; the message says which and where. */
public final class SimulationFailure extends AssertionError {
  private static final long serialVersionUID = 1L;

  public SimulationFailure(String message) {
    super(message);
  }
}
