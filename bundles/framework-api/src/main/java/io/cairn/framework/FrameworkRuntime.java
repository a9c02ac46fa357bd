package io.cairn.framework;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The framework runtime's view for operators: every framework it runs on this node. */
@ProviderType
public interface FrameworkRuntime {
  /** Every registered framework, by name. */
  List<FrameworkStatus> frameworks();

  /** One framework by name. */
  Optional<FrameworkStatus> framework(String name);
}
