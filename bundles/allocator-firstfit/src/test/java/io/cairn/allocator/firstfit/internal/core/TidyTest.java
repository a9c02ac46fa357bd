package io.cairn.allocator.firstfit.internal.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * STYLE.md §2 bans, for this bundle: its core reads no clock, draws no randomness and touches no
 * threads, I/O, reflection or OSGi; no class prints to the console or reads system properties.
 */
class TidyTest {
  private static final JavaClasses BUNDLE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.cairn.allocator.firstfit");

  @Test
  void theCoreIsDeterministic() {
    assertTrue(BUNDLE.stream().filter(c -> c.getPackageName().endsWith(".internal.core")).count()
        >= 5, "the core classes were imported");
    noClasses().that().resideInAPackage("..internal.core..")
        .should().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(System.class, "nanoTime")
        .orShould().callMethod(Math.class, "random")
        .orShould().dependOnClassesThat().resideInAnyPackage("java.time..",
            "java.util.concurrent..", "java.io..", "java.nio..", "java.net..",
            "java.lang.reflect..", "org.osgi..", "io.netty..", "org.rocksdb..")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.Random")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.SplittableRandom")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Thread")
        .check(BUNDLE);
  }

  @Test
  void noClassPrintsOrReadsSystemProperties() {
    noClasses().should().accessField(System.class, "out")
        .orShould().accessField(System.class, "err")
        .orShould().callMethod(Throwable.class, "printStackTrace")
        .orShould().callMethod(System.class, "getProperty", String.class)
        .check(BUNDLE);
  }
}
