package io.cairn.itests;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.base.DescribedPredicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bans of STYLE.md §2 and §5, checked by the build (the idea of TigerBeetle's tidy.zig) over
 * every Cairn class on this module's test classpath. Add a module as a test dependency of itests
 * and it is checked too.
 */
class TidyTest {
  private static JavaClasses cairn;

  @BeforeAll
  static void importCairn() {
    cairn = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(location -> !location.contains("/io/cairn/proto/"))
        .withImportOption(location -> !location.contains("/io/cairn/itests/"))
        .importPackages("io.cairn");
  }

  /** Deterministic cores take time, randomness, threads and I/O only through env-api. */
  @Test
  void coresUseNoClockRandomnessThreadsOrDrivers() {
    noClasses().that().resideInAPackage("..internal.core..")
        .should().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(System.class, "nanoTime")
        .orShould().callMethod(Thread.class, "sleep", long.class)
        .orShould().callMethod(Math.class, "random")
        .orShould().callMethod(java.time.Instant.class, "now")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.Random")
        .orShould().dependOnClassesThat().haveFullyQualifiedName(
            "java.util.concurrent.ThreadLocalRandom")
        .orShould().dependOnClassesThat().resideInAnyPackage(
            "java.util.concurrent.locks..", "java.lang.reflect..", "io.netty..",
            "org.rocksdb..", "org.osgi..")
        .orShould().dependOnClassesThat().areAssignableTo(java.util.concurrent.Executor.class)
        .allowEmptyShould(true)
        .check(cairn);
  }

  /** Errors are logged or rethrown with context, never dumped. */
  @Test
  void nothingPrintsStackTracesOrWritesToStandardOut() {
    noClasses().should().callMethod(Throwable.class, "printStackTrace")
        .orShould().accessField(System.class, "out")
        .because("use SLF4J (STYLE.md §6); command-line mains and the simulator's REPRODUCE line"
            + " are the documented exceptions")
        .check(cairn.that(notCommandLineMain()));
  }

  /** System properties are read in configuration classes only. */
  @Test
  void systemPropertiesAreReadOnlyByConfigurationClasses() {
    noClasses().that(notConfiguration())
        .should().callMethod(System.class, "getProperty", String.class)
        .orShould().callMethod(System.class, "getProperty", String.class, String.class)
        .check(cairn);
  }

  /**
   * An api bundle never reaches into an implementation. The simulator is exempt: it is white-box
   * test infrastructure that drives the cores directly and is never part of a feature.
   */
  @Test
  void apiPackagesDoNotDependOnImplementations() {
    noClasses().that().resideOutsideOfPackages("..internal..", "io.cairn.simulation..")
        .should().dependOnClassesThat().resideInAPackage("..internal..")
        .check(cairn);
  }

  private static DescribedPredicate<JavaClass> notConfiguration() {
    return DescribedPredicate.describe("not a configuration class (…Config, …Paths, …Check)",
        c -> !(c.getSimpleName().endsWith("Config") || c.getSimpleName().endsWith("Paths")
            || c.getSimpleName().endsWith("Check") || c.getPackageName().endsWith(".config")));
  }

  private static DescribedPredicate<JavaClass> notCommandLineMain() {
    return DescribedPredicate.describe("not a command-line main",
        c -> !(c.getSimpleName().endsWith("Check") || c.getSimpleName().endsWith("Main")
            || c.getPackageName().startsWith("io.cairn.simulation")
            || c.getPackageName().startsWith("io.cairn.bench")));
  }
}
