package io.cairn.master.internal.core;

import io.cairn.allocator.AgentResources;
import io.cairn.allocator.Allocation;
import io.cairn.allocator.Filters;
import io.cairn.master.internal.core.MasterBooks.AgentEntry;
import io.cairn.master.internal.core.MasterBooks.FrameworkEntry;
import io.cairn.master.internal.core.MasterBooks.OfferEntry;
import io.cairn.master.internal.core.MasterBooks.TaskEntry;
import io.cairn.proto.agent.AgentMessage;
import io.cairn.proto.agent.RunTask;
import io.cairn.proto.agent.RunTaskGroup;
import io.cairn.proto.mesos.v1.Protos.ExecutorInfo;
import io.cairn.proto.mesos.v1.Protos.Offer.Operation;
import io.cairn.proto.mesos.v1.Protos.OfferID;
import io.cairn.proto.mesos.v1.Protos.Resource;
import io.cairn.proto.mesos.v1.Protos.Task;
import io.cairn.proto.mesos.v1.Protos.TaskInfo;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import io.cairn.proto.mesos.v1.scheduler.Protos.Call;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ACCEPT: validates the offers and every task of the LAUNCH and LAUNCH_GROUP operations, then
 * launches what is valid (RunTask / RunTaskGroup to the agent) and gives the unused resources back
 * with the call's filters. Offers are checked first (known, this framework's, one agent, one role,
 * each once); if any is bad no task runs and each gets TASK_DROPPED (TASK_LOST) with
 * REASON_INVALID_OFFERS. A bad task gets TASK_ERROR with REASON_TASK_INVALID and a sentence; a
 * bad task of a group fails the whole group. Nothing is recorded for a rejected task, so the
 * books stay consistent. Part of the core: same thread, same rules.
 */
final class Launcher {
  private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

  private final MasterCore core;

  Launcher(MasterCore core) {
    this.core = core;
  }

  CallResult accept(FrameworkEntry framework, Call.Accept accept) {
    Filters filters = SchedulerCalls.filters(accept.getFilters());
    String offerProblem = checkOffers(framework, accept.getOfferIdsList());
    if (offerProblem != null) {
      dropAll(framework, accept, offerProblem);
      for (OfferID id : accept.getOfferIdsList()) {
        OfferEntry offer = core.offers.get(id.getValue());
        if (offer != null && offer.frameworkId().equals(framework.id())) {
          core.removeOffer(offer, false, Filters.NONE);
        }
      }
      return CallResult.ACCEPTED;
    }
    List<OfferEntry> used = new ArrayList<>();
    for (OfferID id : accept.getOfferIdsList()) {
      OfferEntry offer = core.offers.get(id.getValue());
      used.add(offer);
      core.offers.remove(offer.id());
      framework.offerIds.remove(offer.id());
      AgentEntry agent = core.agents.get(offer.agentId());
      if (agent != null) {
        agent.offerIds.remove(offer.id());
      }
    }
    OfferEntry first = used.get(0);
    AgentResources remaining = AgentResources.EMPTY;
    for (OfferEntry offer : used) {
      remaining = remaining.plus(offer.offer().resources());
    }
    AgentEntry agent = core.agents.get(first.agentId());
    Set<String> taskIds = new HashSet<>();
    List<Operation> conversions = new ArrayList<>();
    for (Operation operation : accept.getOperationsList()) {
      remaining = switch (operation.getType()) {
        case LAUNCH -> launch(framework, agent, first.offer().role(), remaining, taskIds,
            operation.getLaunch().getTaskInfosList(), null);
        case LAUNCH_GROUP -> launch(framework, agent, first.offer().role(), remaining, taskIds,
            operation.getLaunchGroup().getTaskGroup().getTasksList(),
            operation.getLaunchGroup().getExecutor());
        case RESERVE, UNRESERVE -> {
          conversions.add(operation);
          yield remaining;
        }
        default -> {
          LOG.warn("operation not supported framework={} type={}", framework.id(),
              operation.getType());
          yield remaining;
        }
      };
    }
    if (!conversions.isEmpty() && !remaining.isEmpty()) {
      remaining = convert(framework, agent, first.offer().role(), remaining, conversions);
    }
    if (!remaining.isEmpty()) {
      core.recover(new Allocation(framework.allocatorId(), first.offer().role(),
          first.offer().agentId(), remaining), filters);
    }
    return CallResult.ACCEPTED;
  }

  /**
   * Applies RESERVE and UNRESERVE to what the launches left of the offers, in order: the agent's
   * total changes, the allocator gets the new total, the agent the new checkpoint. The converted
   * resources go back to the allocator unfiltered (to be offered again, reserved), so this
   * returns nothing left. An operation that does not fit is skipped with a log line (operations
   * without an id get no feedback in Mesos either).
   */
  private AgentResources convert(FrameworkEntry framework, AgentEntry agent, String role,
      AgentResources remaining, List<Operation> conversions) {
    AgentResources left = remaining;
    AgentResources total = agent.total;
    for (Operation operation : conversions) {
      boolean reserve = operation.getType() == Operation.Type.RESERVE;
      List<Resource> resources = reserve ? operation.getReserve().getResourcesList()
          : operation.getUnreserve().getResourcesList();
      String problem = reserve ? Reservations.checkReserve(resources, role)
          : Reservations.checkUnreserve(resources);
      AgentResources reserved = problem == null ? ResourceMapping.toAgentResources(resources)
          : AgentResources.EMPTY;
      AgentResources from = reserve ? Reservations.source(reserved) : reserved;
      AgentResources to = reserve ? reserved : Reservations.source(reserved);
      if (problem == null && !left.contains(from)) {
        problem = "the offers hold only " + left + ", not " + from;
      }
      if (problem != null) {
        LOG.warn("{} skipped framework={} agent={} reason={}", operation.getType(),
            framework.id(), agent.id(), problem);
        continue;
      }
      left = left.minus(from).plus(to);
      total = total.minus(from).plus(to);
    }
    if (total.equals(agent.total)) {
      return remaining;
    }
    core.recover(new Allocation(framework.allocatorId(), role,
        io.cairn.allocator.AgentId.of(agent.id()), remaining), Filters.NONE);
    agent.total = total;
    core.allocator.updateAgent(MasterCore.agentSpec(agent));
    core.sendToAgent(agent, AgentMessage.newBuilder().setCheckpointResources(
        io.cairn.proto.agent.CheckpointResources.newBuilder().addAllResources(
            ResourceMapping.toProto(Reservations.dynamicOnly(total), null))));
    LOG.info("reservations changed framework={} agent={} total={}", framework.id(), agent.id(),
        total);
    return AgentResources.EMPTY;
  }

  private String checkOffers(FrameworkEntry framework, List<OfferID> ids) {
    if (ids.isEmpty()) {
      return "the ACCEPT names no offer";
    }
    Set<String> seen = new HashSet<>();
    String agentId = null;
    String role = null;
    for (OfferID id : ids) {
      OfferEntry offer = core.offers.get(id.getValue());
      if (!seen.add(id.getValue())) {
        return "offer " + id.getValue() + " appears twice in the ACCEPT";
      }
      if (offer == null) {
        return "offer " + id.getValue() + " is unknown or no longer valid (used, declined or"
            + " rescinded)";
      }
      if (!offer.frameworkId().equals(framework.id())) {
        return "offer " + id.getValue() + " belongs to another framework";
      }
      if (agentId != null && !agentId.equals(offer.agentId())) {
        return "offers " + ids.get(0).getValue() + " and " + id.getValue()
            + " are from different agents; an ACCEPT may combine offers of one agent only";
      }
      if (role != null && !role.equals(offer.offer().role())) {
        return "offers " + ids.get(0).getValue() + " and " + id.getValue()
            + " are for different roles; an ACCEPT may combine offers of one role only";
      }
      if (!core.agents.containsKey(offer.agentId())) {
        return "the agent of offer " + id.getValue() + " is gone";
      }
      agentId = offer.agentId();
      role = offer.offer().role();
    }
    return null;
  }

  private void dropAll(FrameworkEntry framework, Call.Accept accept, String why) {
    LOG.info("accept refused framework={} reason={}", framework.id(), why);
    for (Operation operation : accept.getOperationsList()) {
      List<TaskInfo> tasks = switch (operation.getType()) {
        case LAUNCH -> operation.getLaunch().getTaskInfosList();
        case LAUNCH_GROUP -> operation.getLaunchGroup().getTaskGroup().getTasksList();
        default -> List.of();
      };
      for (TaskInfo task : tasks) {
        core.sendUpdate(framework, StateViews.masterStatus(task.getTaskId(),
            task.hasAgentId() ? task.getAgentId() : null,
            SchedulerCalls.lostOr(framework, TaskState.TASK_DROPPED),
            TaskStatus.Reason.REASON_INVALID_OFFERS, why, core.now()));
      }
    }
  }

  /**
   * Validates and launches one LAUNCH (executor null: each task alone) or LAUNCH_GROUP (all or
   * none, with the executor's resources); returns what is left of the offered resources.
   */
  private AgentResources launch(FrameworkEntry framework, AgentEntry agent, String role,
      AgentResources remaining, Set<String> taskIds, List<TaskInfo> tasks,
      ExecutorInfo executor) {
    Map<TaskInfo, AgentResources> valid = new LinkedHashMap<>();
    AgentResources left = remaining;
    String groupProblem = null;
    if (executor != null) {
      String problem = ResourceMapping.check(executor.getResourcesList());
      if (problem == null) {
        AgentResources needs = ResourceMapping.toAgentResources(executor.getResourcesList());
        if (left.contains(needs)) {
          left = left.minus(needs);
        } else {
          problem = "executor " + executor.getExecutorId().getValue() + " asks for " + needs
              + " but the offers hold only " + left;
        }
      }
      groupProblem = problem;
      if (tasks.isEmpty()) {
        groupProblem = "the task group is empty";
      }
    }
    for (TaskInfo task : tasks) {
      String problem = groupProblem != null ? groupProblem
          : checkTask(framework, agent, task, left, taskIds, executor != null);
      if (problem != null) {
        if (executor != null) {
          groupProblem = problem;
        }
        core.sendUpdate(framework, StateViews.masterStatus(task.getTaskId(), agent.info.getId(),
            TaskState.TASK_ERROR, TaskStatus.Reason.REASON_TASK_INVALID, problem, core.now()));
        continue;
      }
      AgentResources needs = ResourceMapping.toAgentResources(task.getResourcesList());
      left = left.minus(needs);
      taskIds.add(task.getTaskId().getValue());
      valid.put(task, needs);
    }
    if (executor != null && groupProblem != null) {
      for (TaskInfo task : valid.keySet()) {
        taskIds.remove(task.getTaskId().getValue());
        core.sendUpdate(framework, StateViews.masterStatus(task.getTaskId(), agent.info.getId(),
            TaskState.TASK_ERROR, TaskStatus.Reason.REASON_TASK_INVALID,
            "another task of its group is invalid: " + groupProblem, core.now()));
      }
      return remaining;
    }
    boolean firstOfGroup = true;
    for (Map.Entry<TaskInfo, AgentResources> entry : valid.entrySet()) {
      AgentResources held = entry.getValue();
      if (executor != null && firstOfGroup) {
        // The executor's resources are held by the group's first task (simplification).
        held = held.plus(ResourceMapping.toAgentResources(executor.getResourcesList()));
        firstOfGroup = false;
      }
      record(framework, agent, role, entry.getKey(), held, executor);
    }
    if (executor == null) {
      for (TaskInfo task : valid.keySet()) {
        core.sendToAgent(agent, AgentMessage.newBuilder().setRunTask(RunTask.newBuilder()
            .setFramework(framework.info).setTask(withAgent(task, agent))
            .setLaunchExecutor(true)));
      }
    } else if (!valid.isEmpty()) {
      io.cairn.proto.mesos.v1.Protos.TaskGroupInfo.Builder group =
          io.cairn.proto.mesos.v1.Protos.TaskGroupInfo.newBuilder();
      valid.keySet().forEach(t -> group.addTasks(withAgent(t, agent)));
      core.sendToAgent(agent, AgentMessage.newBuilder().setRunTaskGroup(RunTaskGroup.newBuilder()
          .setFramework(framework.info).setExecutor(executor.toBuilder()
              .setFrameworkId(framework.info.getId()))
          .setTaskGroup(group).setLaunchExecutor(true)));
    }
    return left;
  }

  private static TaskInfo withAgent(TaskInfo task, AgentEntry agent) {
    return task.toBuilder().setAgentId(agent.info.getId()).build();
  }

  private String checkTask(FrameworkEntry framework, AgentEntry agent, TaskInfo task,
      AgentResources left, Set<String> taskIds, boolean inGroup) {
    String id = task.getTaskId().getValue();
    if (id.isEmpty()) {
      return "a task has an empty task_id";
    }
    if (framework.tasks.containsKey(id) || taskIds.contains(id)) {
      return "task id '" + id + "' is already used by a task of framework " + framework.id();
    }
    if (task.hasAgentId() && !task.getAgentId().equals(agent.info.getId())) {
      return "task " + id + " names agent " + task.getAgentId().getValue()
          + " but its offers are from agent " + agent.id();
    }
    if (!inGroup && task.hasCommand() == task.hasExecutor()) {
      return "task " + id + " must have exactly one of 'command' and 'executor'";
    }
    String problem = ResourceMapping.check(task.getResourcesList());
    if (problem != null) {
      return "task " + id + ": " + problem;
    }
    AgentResources needs = ResourceMapping.toAgentResources(task.getResourcesList());
    if (needs.isEmpty()) {
      return "task " + id + " uses no resources; give it at least cpus or mem";
    }
    if (!left.contains(needs)) {
      return "task " + id + " asks for " + needs + " but the offers have only " + left
          + " left";
    }
    return null;
  }

  private void record(FrameworkEntry framework, AgentEntry agent, String role, TaskInfo info,
      AgentResources held, ExecutorInfo executor) {
    List<Resource> resources = new ArrayList<>();
    for (Resource r : info.getResourcesList()) {
      resources.add(r.toBuilder().setAllocationInfo(
          Resource.AllocationInfo.newBuilder().setRole(role)).build());
    }
    Task.Builder task = Task.newBuilder().setName(info.getName()).setTaskId(info.getTaskId())
        .setFrameworkId(framework.info.getId()).setAgentId(agent.info.getId())
        .setState(TaskState.TASK_STAGING).addAllResources(resources);
    if (info.hasExecutor()) {
      task.setExecutorId(info.getExecutor().getExecutorId());
    } else if (executor != null) {
      task.setExecutorId(executor.getExecutorId());
    }
    if (info.hasLabels()) {
      task.setLabels(info.getLabels());
    }
    if (info.hasHealthCheck()) {
      task.setHealthCheck(info.getHealthCheck());
    }
    if (info.hasContainer()) {
      task.setContainer(info.getContainer());
    }
    if (info.hasDiscovery()) {
      task.setDiscovery(info.getDiscovery());
    }
    TaskEntry entry = new TaskEntry(task.build(), role, held);
    framework.tasks.put(info.getTaskId().getValue(), entry);
    agent.tasks.put(entry.key(), entry);
    core.operatorEvents.taskAdded(entry.task);
  }
}
