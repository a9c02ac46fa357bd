package io.cairn.framework.runtime.internal.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The determinism bans of STYLE.md §2 for this core: no clock, threads, I/O or frameworks. */
class TidyTest {
  private static final JavaClasses CORE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.cairn.framework.runtime.internal.core");

  @Test
  void theCoreReadsNoClockAndStartsNoThreads() {
    noClasses()
        .should().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(System.class, "nanoTime")
        .orShould().callMethodWhere(com.tngtech.archunit.base.DescribedPredicate.describe(
            "a now() of java.time", call -> call.getTarget().getName().equals("now")
                && call.getTarget().getOwner().getPackageName().startsWith("java.time")))
        .orShould().dependOnClassesThat().resideInAnyPackage("java.util.concurrent..",
            "java.net..", "java.nio.file..", "io.netty..", "org.apache.curator..",
            "org.apache.zookeeper..", "org.osgi..")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Thread")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.Random")
        .orShould().accessField(System.class, "out")
        .check(CORE);
  }
}
