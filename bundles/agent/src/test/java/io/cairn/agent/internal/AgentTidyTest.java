package io.cairn.agent.internal;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The agent's core is deterministic: besides STYLE §2's bans (also checked by itests' TidyTest), it
 * does no I/O and starts no processes, so everything in it is unit-testable without a disk.
 */
class AgentTidyTest {
  private static final JavaClasses AGENT =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.cairn.agent");

  @Test
  void coreHasNoClockThreadsIoOrProcesses() {
    noClasses()
        .that()
        .resideInAPackage("..internal.core..")
        .should()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .callMethod(System.class, "nanoTime")
        .orShould()
        .callMethod(java.time.Instant.class, "now")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.util.Random")
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "java.util.concurrent..", "java.lang.reflect..", "org.osgi..", "java.io..")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.nio.file.Files")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.lang.ProcessBuilder")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.lang.Thread")
        .check(AGENT);
  }

  @Test
  void nothingWritesToStandardOut() {
    noClasses()
        .should()
        .accessField(System.class, "out")
        .orShould()
        .callMethod(Throwable.class, "printStackTrace")
        .check(AGENT);
  }
}
