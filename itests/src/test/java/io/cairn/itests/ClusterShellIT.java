package io.cairn.itests;

import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import javax.inject.Inject;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The consensus bundle's {@code cluster:*} commands in a real Karaf, on a Raft group of one:
 * {@code cluster:status} shows this node leading with its snapshot row, {@code
 * cluster:transfer-leader} to a non-voter and {@code cluster:add} of a node not listed in {@code
 * peers} are refused in one sentence, and {@code cluster:remove} of the only voter too.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ClusterShellIT {
  @Inject SessionFactory sessions;

  @org.ops4j.pax.exam.Configuration
  public Option[] config() {
    // A group of one, on ports apart from the other itests' and a developer's node.
    return CairnOptions.distribution(
        editConfigurationFilePut("etc/io.cairn.node.cfg", "node.id", "1"),
        editConfigurationFilePut("etc/io.cairn.node.cfg", "peers", "1@127.0.0.1:17171"),
        editConfigurationFilePut("etc/io.cairn.coordination.cfg", "clientPort", "12282"));
  }

  @Test
  public void statusShowsThisNodeLeadingAGroupOfOne() throws Exception {
    awaitLeader();

    String out = execute("cluster:status");

    assertTrue(out, matches(out, "node\\s+1\\b"));
    assertTrue(out, matches(out, "role\\s+leader"));
    assertTrue(out, matches(out, "leader\\s+1\\b"));
    assertTrue(out, matches(out, "term\\s+[1-9]"));
    assertTrue(out, matches(out, "commit\\s+\\d+"));
    assertTrue(out, matches(out, "applied\\s+\\d+"));
    assertTrue(out, matches(out, "snapshot\\s+(\\(none\\)|\\d+)"));
    assertTrue(out, matches(out, "voters\\s+1\\b"));
    assertTrue(out, matches(out, "learners\\s+\\(none\\)"));
    assertTrue(out, !out.contains("Exception"));
  }

  @Test
  public void transferLeaderToANonVoterSaysSoInOneSentence() throws Exception {
    awaitLeader();

    String out = execute("cluster:transfer-leader 9");

    assertTrue(out, out.contains("node 9 is not a voter; voters are 1"));
  }

  @Test
  public void addOfANodeNotInPeersSaysWhereToListIt() throws Exception {
    awaitLeader();

    String out = execute("cluster:add 9");

    assertTrue(out, out.contains("node 9 is not listed in peers of etc/io.cairn.node.cfg "
        + "(1@127.0.0.1:17171)"));
    assertTrue(out, out.contains("add it there on every master and restart them first"));
    assertTrue(out, matches(execute("cluster:status"), "voters\\s+1\\s"));
  }

  @Test
  public void removeOfTheOnlyVoterIsRefused() throws Exception {
    awaitLeader();

    String out = execute("cluster:remove 1");

    assertTrue(out, out.contains("node 1 is the only voter and a group needs one"));
  }

  private void awaitLeader() throws InterruptedException {
    await("role leader", () -> matches(execute("cluster:status"), "role\\s+leader"));
  }

  private static boolean matches(String text, String regex) {
    return Pattern.compile(regex).matcher(text).find();
  }

  private String execute(String command) {
    return KarafShell.execute(sessions, command);
  }

  /**
   * Waits for {@code condition} with a deadline, polling; never a fixed sleep. A condition that
   * throws counts as not yet true: right after boot the commands' bundle may not have registered
   * them yet ("Command not found"); the last failure is reported at the deadline.
   */
  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    BooleanSupplier tolerant = condition;
    Throwable[] last = {null};
    condition = () -> {
      try {
        return tolerant.getAsBoolean();
      } catch (RuntimeException | AssertionError e) {
        last[0] = e;
        return false;
      }
    };
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after 60 s waiting for " + what, last[0]);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }
}
