package io.cairn.node.internal;

import io.cairn.env.Endpoint;
import io.cairn.env.NodeInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.karaf.features.BootFinished;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether this node is ready and publishes that to {@code ${karaf.data}/cairn/status},
 * which the launcher polls. Ready means: the node configuration is valid, Karaf's boot features
 * are installed, every Cairn bundle is active, and every endpoint that an active Cairn bundle
 * promises in its {@code Cairn-Endpoints} manifest header is published as an {@link Endpoint}
 * service.
 *
 * <p>Threading: DS callbacks and bundle events arrive on any thread; every change recomputes the
 * whole state under this object's lock and rewrites the file atomically (write + rename).
 */
@Component(service = StatusBoard.class, immediate = true)
public final class StatusBoard {
  /** Manifest header listing the endpoint names a bundle will publish once it serves them. */
  public static final String ENDPOINTS_HEADER = "Cairn-Endpoints";

  private static final Logger LOG = LoggerFactory.getLogger(StatusBoard.class);
  private static final String CAIRN_BUNDLE_PREFIX = "io.cairn.";

  private final BundleContext context;
  private final Path statusFile;
  private final Map<String, String> endpoints = new ConcurrentHashMap<>();
  private final SynchronousBundleListener bundleListener = this::onBundleEvent;
  private volatile boolean bootFinished;
  private volatile NodeInfo node;
  private volatile String configError;
  private NodeState.Readiness lastLogged;

  @Activate
  public StatusBoard(BundleContext context) {
    this.context = context;
    this.statusFile = RuntimePaths.statusFile();
    context.addBundleListener(bundleListener);
    publish();
  }

  @Deactivate
  void deactivate() {
    context.removeBundleListener(bundleListener);
  }

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  void bindBootFinished(BootFinished unused) {
    bootFinished = true;
    publish();
  }

  void unbindBootFinished(BootFinished unused) {
    bootFinished = false;
    publish();
  }

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  void addEndpoint(Endpoint endpoint) {
    endpoints.put(endpoint.name(), endpoint.address());
    publish();
  }

  void removeEndpoint(Endpoint endpoint) {
    endpoints.remove(endpoint.name(), endpoint.address());
    publish();
  }

  /** Called by {@link NodeConfigComponent} with a valid identity, or null and the reason. */
  void nodeChanged(NodeInfo info, String error) {
    this.node = info;
    this.configError = error;
    publish();
  }

  private void onBundleEvent(BundleEvent event) {
    if (event.getBundle().getSymbolicName() != null
        && event.getBundle().getSymbolicName().startsWith(CAIRN_BUNDLE_PREFIX)) {
      publish();
    }
  }

  /** The state as of now. */
  public NodeState state() {
    List<String> waiting = new ArrayList<>();
    NodeInfo info = node;
    String error = configError;
    if (info == null && error == null) {
      waiting.add("configuration " + NodeConfigParser.PID);
    }
    if (!bootFinished) {
      waiting.add("boot features");
    }
    for (Bundle bundle : context.getBundles()) {
      String name = bundle.getSymbolicName();
      if (name == null || !name.startsWith(CAIRN_BUNDLE_PREFIX)
          || bundle.getHeaders().get("Fragment-Host") != null) {
        continue;
      }
      if (bundle.getState() != Bundle.ACTIVE) {
        waiting.add("bundle " + name + " to become active");
        continue;
      }
      String promised = bundle.getHeaders().get(ENDPOINTS_HEADER);
      if (promised == null) {
        continue;
      }
      for (String endpoint : promised.split(",")) {
        String key = endpoint.trim();
        if (!key.isEmpty() && !endpoints.containsKey(key)) {
          waiting.add("endpoint " + key + " of " + name);
        }
      }
    }
    NodeState.Readiness readiness = error != null ? NodeState.Readiness.FAILED
        : waiting.isEmpty() ? NodeState.Readiness.READY : NodeState.Readiness.STARTING;
    return new NodeState(readiness, info, error, new TreeMap<>(endpoints), List.copyOf(waiting));
  }

  private synchronized void publish() {
    NodeState state = state();
    if (state.readiness() != lastLogged) {
      lastLogged = state.readiness();
      if (state.readiness() == NodeState.Readiness.FAILED) {
        LOG.error("node start-up failed: {}", state.configError());
      } else {
        LOG.info("node readiness={} waiting={}", state.readiness(), state.waitingFor());
      }
    }
    if (statusFile == null) {
      return;
    }
    try {
      Files.createDirectories(statusFile.getParent());
      Path tmp = statusFile.resolveSibling(statusFile.getFileName() + ".tmp");
      Files.writeString(tmp, state.toStatusText(), StandardCharsets.UTF_8);
      Files.move(tmp, statusFile, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // The launcher will time out and show the log; the node itself keeps working.
      LOG.warn("cannot write status file path={} reason={}", statusFile, e.toString());
    }
  }
}
