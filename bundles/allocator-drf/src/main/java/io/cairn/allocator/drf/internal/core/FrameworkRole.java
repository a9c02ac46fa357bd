package io.cairn.allocator.drf.internal.core;

import io.cairn.allocator.FrameworkId;

/** A framework under one of its roles: the unit that offers, filters and suppression apply to. */
record FrameworkRole(FrameworkId frameworkId, String role) {}
