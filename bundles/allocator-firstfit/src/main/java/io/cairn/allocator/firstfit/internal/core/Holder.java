package io.cairn.allocator.firstfit.internal.core;

import io.cairn.allocator.FrameworkId;

/** A framework under one of its roles: who holds an allocation, and who a filter belongs to. */
record Holder(FrameworkId frameworkId, String role) {}
