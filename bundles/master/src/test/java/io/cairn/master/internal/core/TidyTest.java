package io.cairn.master.internal.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The determinism bans of STYLE.md §2 for the registry core, enforced by the build. */
class TidyTest {
  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.cairn.master.internal.core");

  @Test
  void theCoreReadsNoClockAndDrawsNoRandomness() {
    noClasses()
        .should().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(System.class, "nanoTime")
        .orShould().callMethod(Math.class, "random")
        .orShould().dependOnClassesThat().resideInAPackage("java.time..")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.Random")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.SplittableRandom")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.security.SecureRandom")
        .check(CORE);
  }

  /**
   * No threads, locks, executors, I/O (but {@code IOException}, which protobuf's in-memory
   * writer declares), reflection, Netty, RocksDB, OSGi or consensus in the core.
   */
  @Test
  void theCoreTouchesNoThreadsIoOrFrameworks() {
    noClasses()
        .should().dependOnClassesThat().resideInAnyPackage(
            "java.util.concurrent..", "java.net..", "java.nio..", "java.lang.reflect..",
            "io.netty..", "org.rocksdb..", "org.osgi..", "io.cairn.consensus..")
        .orShould().dependOnClassesThat(ioOtherThanIoException())
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Thread")
        .orShould().accessField(System.class, "out")
        .orShould().callMethod(Throwable.class, "printStackTrace")
        .check(CORE);
  }

  private static DescribedPredicate<JavaClass> ioOtherThanIoException() {
    return DescribedPredicate.describe("java.io classes other than IOException",
        c -> c.getPackageName().equals("java.io")
            && !c.getName().equals("java.io.IOException"));
  }
}
