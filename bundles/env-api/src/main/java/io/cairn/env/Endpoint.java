package io.cairn.env;

/**
 * A network endpoint that a capability serves, published as an OSGi service once it accepts
 * connections. The launcher's {@code ./cairn start} waits until every published endpoint answers,
 * and {@code ./cairn status} prints them as {@code name=address}.
 *
 * @param name a short key such as {@code zk}, {@code master}, {@code marathon}
 * @param address what a client connects to, e.g. {@code 127.0.0.1:2181} or {@code http://127.0.0.1:5050}
 */
public record Endpoint(String name, String address) {
  public Endpoint {
    if (name == null || !name.matches("[a-z][a-z0-9-]*")) {
      throw new IllegalArgumentException("endpoint name must match [a-z][a-z0-9-]*, was " + name);
    }
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException("endpoint " + name + " has no address");
    }
  }
}
