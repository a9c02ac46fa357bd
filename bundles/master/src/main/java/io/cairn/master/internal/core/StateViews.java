package io.cairn.master.internal.core;

import io.cairn.allocator.AgentResources;
import io.cairn.master.internal.core.MasterBooks.AgentEntry;
import io.cairn.master.internal.core.MasterBooks.FrameworkEntry;
import io.cairn.master.internal.core.MasterBooks.OfferEntry;
import io.cairn.master.internal.core.MasterBooks.TaskEntry;
import io.cairn.proto.mesos.v1.Protos.AgentID;
import io.cairn.proto.mesos.v1.Protos.FrameworkID;
import io.cairn.proto.mesos.v1.Protos.Offer;
import io.cairn.proto.mesos.v1.Protos.OfferID;
import io.cairn.proto.mesos.v1.Protos.Resource;
import io.cairn.proto.mesos.v1.Protos.TaskID;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import io.cairn.proto.mesos.v1.Protos.TimeInfo;
import io.cairn.proto.mesos.v1.master.Protos.Response;

/**
 * Builds protos from the core's books: offers as frameworks see them, master-generated task
 * statuses, and the operator API's GET_STATE. Pure functions; called on the core's thread.
 */
final class StateViews {
  private StateViews() {}

  static Offer offerProto(OfferEntry entry, AgentEntry agent) {
    return Offer.newBuilder()
        .setId(OfferID.newBuilder().setValue(entry.id()))
        .setFrameworkId(FrameworkID.newBuilder().setValue(entry.frameworkId()))
        .setAgentId(agent.info.getId())
        .setHostname(agent.info.getHostname())
        .addAllResources(ResourceMapping.toProto(entry.offer().resources(), entry.offer().role()))
        .addAllAttributes(agent.info.getAttributesList())
        .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(entry.offer().role()))
        .build();
  }

  /** A status the master makes itself: source master, no uuid, so it is never acknowledged. */
  static TaskStatus masterStatus(TaskID taskId, AgentID agentId, TaskState state,
      TaskStatus.Reason reason, String message, long nowMs) {
    TaskStatus.Builder status = TaskStatus.newBuilder().setTaskId(taskId).setState(state)
        .setSource(TaskStatus.Source.SOURCE_MASTER).setReason(reason).setMessage(message)
        .setTimestamp(nowMs / 1000.0);
    if (agentId != null) {
      status.setAgentId(agentId);
    }
    return status.build();
  }

  static Response.GetState state(MasterCore core) {
    Response.GetAgents.Builder agents = Response.GetAgents.newBuilder();
    Response.GetTasks.Builder tasks = Response.GetTasks.newBuilder();
    for (AgentEntry agent : core.agents.values()) {
      agents.addAgents(agentView(core, agent));
    }
    Response.GetFrameworks.Builder frameworks = Response.GetFrameworks.newBuilder();
    for (FrameworkEntry framework : core.frameworks.values()) {
      frameworks.addFrameworks(frameworkView(core, framework));
      tasks.addAllCompletedTasks(framework.completed);
      for (TaskEntry task : framework.tasks.values()) {
        if (MasterBooks.terminal(task.task.getState())) {
          tasks.addCompletedTasks(task.task);
        } else if (task.task.getState() == TaskState.TASK_UNREACHABLE) {
          tasks.addUnreachableTasks(task.task);
        } else {
          tasks.addTasks(task.task);
        }
      }
    }
    return Response.GetState.newBuilder().setGetAgents(agents).setGetFrameworks(frameworks)
        .setGetTasks(tasks).build();
  }

  static Response.GetAgents.Agent agentView(MasterCore core, AgentEntry agent) {
    AgentResources used = AgentResources.EMPTY;
    for (TaskEntry task : agent.tasks.values()) {
      if (!task.recovered) {
        used = used.plus(task.resources);
      }
    }
    AgentResources offered = AgentResources.EMPTY;
    for (String offerId : agent.offerIds) {
      offered = offered.plus(core.offers.get(offerId).offer().resources());
    }
    return Response.GetAgents.Agent.newBuilder()
        .setAgentInfo(agent.info).setActive(agent.connected()).setVersion("cairn")
        .setRegisteredTime(time(agent.registeredMs))
        .addAllTotalResources(ResourceMapping.toProto(agent.total, null))
        .addAllAllocatedResources(ResourceMapping.toProto(used, null))
        .addAllOfferedResources(ResourceMapping.toProto(offered, null)).build();
  }

  static Response.GetFrameworks.Framework frameworkView(MasterCore core,
      FrameworkEntry framework) {
    Response.GetFrameworks.Framework.Builder f = Response.GetFrameworks.Framework.newBuilder()
        .setFrameworkInfo(framework.info).setActive(framework.streamId != null)
        .setConnected(framework.streamId != null).setRecovered(framework.recovered)
        .setRegisteredTime(time(framework.registeredMs));
    for (String offerId : framework.offerIds) {
      OfferEntry offer = core.offers.get(offerId);
      f.addOffers(offerProto(offer, core.agents.get(offer.agentId())));
    }
    return f.build();
  }

  private static TimeInfo time(long ms) {
    return TimeInfo.newBuilder().setNanoseconds(ms * 1_000_000L).build();
  }
}
