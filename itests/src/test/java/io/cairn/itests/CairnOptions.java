package io.cairn.itests;

import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ops4j.pax.exam.Option;

/** The Pax Exam options every Cairn itest starts from: the built distribution, offline. */
final class CairnOptions {
  private CairnOptions() {}

  /** Boots the Cairn distribution with its default boot features, plus {@code extra}. */
  static Option[] distribution(Option... extra) {
    List<Option> options = new ArrayList<>();
    options.add(karafDistributionConfiguration()
        .frameworkUrl(distributionArchive())
        .name("Cairn")
        .unpackDirectory(new File("target/exam"))
        .useDeployFolder(false));
    options.add(configureConsole().ignoreLocalConsole().ignoreRemoteShell());
    // A developer's running Cairn holds 8101.
    options.add(editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", "8199"));
    options.add(editConfigurationFilePut("etc/io.cairn.coordination.cfg", "clientPort", "12181"));
    options.add(editConfigurationFilePut("etc/io.cairn.coordination.cfg", "adminPort", "19181"));
    // The master and agent HTTP ports, clear of a developer's node on 5050/5051.
    options.add(editConfigurationFilePut("etc/io.cairn.master.cfg", "port", "12050"));
    options.add(editConfigurationFilePut("etc/io.cairn.agent.cfg", "http.port", "12051"));
    options.add(editConfigurationFilePut("etc/io.cairn.agent.cfg", "master", "127.0.0.1:12050"));
    options.add(editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg",
        "org.ops4j.pax.url.mvn.localRepository", System.getProperty("maven.repo.local", "")));
    options.add(editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg",
        "org.ops4j.pax.url.mvn.repositories", System.getProperty("it.remote.repos", "")));
    options.addAll(Arrays.asList(extra));
    return options.toArray(new Option[0]);
  }

  /**
   * The archive this reactor just built. Taken from the build directory rather than the local
   * repository, so {@code mvn verify} on a fresh clone (nothing installed yet) boots this build.
   */
  private static String distributionArchive() {
    File target = new File(System.getProperty("cairn.distribution.dir",
        "../karaf-distribution/target"));
    File[] archives = target.listFiles((dir, name) -> name.matches("cairn-.*\\.tar\\.gz"));
    if (archives == null || archives.length != 1) {
      throw new IllegalStateException("expected one cairn-*.tar.gz in " + target.getAbsolutePath()
          + "; build karaf-distribution first (mvn verify from the repository root does)");
    }
    return archives[0].toURI().toString();
  }
}
