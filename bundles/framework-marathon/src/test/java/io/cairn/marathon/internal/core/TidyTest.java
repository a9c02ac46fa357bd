package io.cairn.marathon.internal.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * STYLE.md §2 bans, for this bundle: the scheduling core reads no clock, draws no randomness
 * except through RandomSource, and touches no threads, I/O, reflection, OSGi or Netty; no class
 * prints to the console, and only the config class reads system properties.
 */
class TidyTest {
  private static final JavaClasses BUNDLE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.cairn.marathon");

  @Test
  void theCoreIsDeterministic() {
    assertTrue(BUNDLE.stream().filter(c -> c.getPackageName().endsWith(".internal.core")).count()
        >= 10, "the core classes were imported");
    noClasses().that().resideInAPackage("..internal.core..")
        .should().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(System.class, "nanoTime")
        .orShould().callMethod(Math.class, "random")
        .orShould().dependOnClassesThat().resideInAnyPackage("java.time..",
            "java.util.concurrent..", "java.io..", "java.nio..", "java.net..",
            "java.lang.reflect..", "org.osgi..", "io.netty..", "org.apache.curator..",
            "org.apache.zookeeper..")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.Random")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.SplittableRandom")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Thread")
        .check(BUNDLE);
  }

  @Test
  void noClassPrintsOrReadsSystemPropertiesOutsideConfig() {
    noClasses().should().accessField(System.class, "out")
        .orShould().accessField(System.class, "err")
        .orShould().callMethod(Throwable.class, "printStackTrace")
        .check(BUNDLE);
    noClasses().that().doNotHaveSimpleName("MarathonConfigCheck")
        .should().callMethod(System.class, "getProperty", String.class)
        .orShould().callMethod(System.class, "getProperty", String.class, String.class)
        .check(BUNDLE);
  }
}
