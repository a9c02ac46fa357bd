package io.cairn.framework.jobs.internal.command;

import io.cairn.framework.jobs.internal.component.JobsFramework;
import io.cairn.framework.jobs.internal.core.JobsCore;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/** Shared by the jobs: commands: run a query on the leader's core, or explain why not. */
final class JobsText {
  private JobsText() {}

  /** The result, or a sentence (String) saying why there is none. */
  static Object fetch(JobsFramework jobs, Function<JobsCore, Object> query) {
    if (jobs == null) {
      return "The jobs framework is not installed here: feature:install cairn-framework-jobs";
    }
    try {
      return jobs.call(query).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "Interrupted.";
    } catch (ExecutionException e) {
      return e.getCause().getMessage();
    } catch (TimeoutException e) {
      return "The jobs framework did not answer within 10 s.";
    }
  }
}
