package io.cairn.marathon.internal.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.marathon.internal.component.MarathonComponent;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/**
 * {@code marathon:queue}: instances waiting for offers, the backoff delay, and why the last
 * offers were not used (resources, ports, constraint, role), offer by offer.
 */
@Command(scope = "marathon", name = "queue", description = "Shows instances waiting to be"
    + " launched, their backoff, and why recent offers were declined.")
@Service
public class QueueCommand implements Action {
  @Reference(optional = true) MarathonComponent marathon;
  @Reference Session session;

  @Override
  public Object execute() throws Exception {
    PrintStream out = session.getConsole();
    MarathonClient.Reply reply = MarathonClient.call(marathon, "GET",
        "/v2/queue?embed=lastUnusedOffers", null);
    if (!reply.ok()) {
      out.println(reply.error());
      return null;
    }
    JsonNode queue = reply.json().path("queue");
    if (queue.isEmpty()) {
      out.println("The launch queue is empty.");
      return null;
    }
    for (JsonNode item : queue) {
      JsonNode summary = item.path("processedOffersSummary");
      out.println(item.path("app").path("id").asText() + "  waiting "
          + item.path("count").asInt() + "  delay "
          + item.path("delay").path("timeLeftSeconds").asInt() + " s  offers processed "
          + summary.path("processedOffersCount").asLong() + ", unused "
          + summary.path("unusedOffersCount").asLong());
      for (JsonNode row : summary.path("rejectSummaryLaunchAttempt")) {
        if (row.path("declined").asLong() > 0) {
          out.println("  " + row.path("reason").asText() + ": " + row.path("declined").asLong());
        }
      }
      for (JsonNode offer : item.path("lastUnusedOffers")) {
        out.println("  offer " + offer.path("offerId").asText() + " from "
            + offer.path("hostname").asText() + ": " + offer.path("reason").get(0).asText()
            + " (" + offer.path("detail").asText() + ")");
      }
    }
    return null;
  }
}
