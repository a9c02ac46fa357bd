package io.cairn.allocator.drf.internal.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The determinism bans of STYLE.md §2, enforced by the build: no class in any {@code
 * ..internal.core..} package of this bundle reads a clock, draws randomness, touches threads,
 * locks, I/O, Netty, RocksDB, OSGi or reflection; no class of the bundle prints to the console or
 * reads system properties.
 */
class TidyTest {
  private static final JavaClasses BUNDLE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.cairn.allocator.drf");
  private static final String CORE = "..internal.core..";

  @Test
  void theRulesSeeTheCore() {
    long core = BUNDLE.stream().filter(c -> c.getPackageName().contains(".internal.core")).count();
    assertTrue(core > 5, "core classes imported: " + core);
  }

  @Test
  void theCoreReadsNoClockAndDrawsNoRandomness() {
    noClasses().that().resideInAPackage(CORE)
        .should().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(System.class, "nanoTime")
        .orShould().callMethod(Thread.class, "sleep", long.class)
        .orShould().callMethod(Math.class, "random")
        .orShould().dependOnClassesThat().resideInAnyPackage("java.time..")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.Random")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.SplittableRandom")
        .orShould().dependOnClassesThat()
        .haveFullyQualifiedName("java.util.concurrent.ThreadLocalRandom")
        .check(BUNDLE);
  }

  @Test
  void theCoreTouchesNoThreadsLocksIoFrameworksOrReflection() {
    noClasses().that().resideInAPackage(CORE)
        .should().dependOnClassesThat().resideInAnyPackage(
            "java.util.concurrent..", "java.io..", "java.nio..", "java.net..",
            "java.lang.reflect..", "java.lang.invoke..", "io.netty..", "org.rocksdb..",
            "org.osgi..", "com.google.protobuf..")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Thread")
        .orShould().callMethod(Class.class, "forName", String.class)
        .orShould().callMethod(Class.class, "getDeclaredMethods")
        .orShould().callMethod(Class.class, "getDeclaredFields")
        .check(BUNDLE);
  }

  @Test
  void noClassPrintsToTheConsoleOrReadsSystemProperties() {
    noClasses()
        .should().accessField(System.class, "out")
        .orShould().accessField(System.class, "err")
        .orShould().callMethod(Throwable.class, "printStackTrace")
        .orShould().callMethod(System.class, "getProperty", String.class)
        .check(BUNDLE);
  }
}
