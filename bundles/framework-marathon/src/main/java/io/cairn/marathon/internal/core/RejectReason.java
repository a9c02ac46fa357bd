package io.cairn.marathon.internal.core;

/** Why an offer could not host an instance (Marathon's {@code NoOfferMatchReason} names). */
public enum RejectReason {
  UnfulfilledRole,
  UnfulfilledConstraint,
  InsufficientCpus,
  InsufficientMemory,
  InsufficientDisk,
  InsufficientGpus,
  InsufficientPorts,
  NoDemand,
  LaunchDelayed,
  OfferLimitReached
}
