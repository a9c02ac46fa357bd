package io.cairn.marathon.internal.core;

/**
 * The last readiness check of one task (Marathon's {@code ReadinessCheckResult}): {@code ready}
 * when the HTTP status was one of {@code httpStatusCodesForReady}. The response is kept only with
 * {@code preserveLastResponse} ({@code status} 0 and a null {@code contentType}/{@code body}
 * otherwise, or when the check could not connect: then {@code body} says why).
 */
public record ReadinessResult(String name, String taskId, boolean ready, int status,
    String contentType, String body, long atMillis) {}
