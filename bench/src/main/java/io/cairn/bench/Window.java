package io.cairn.bench;

/**
 * How long one measurement runs: a warm-up whose operations are not counted, then the measured
 * window.
 *
 * @param warmupNanos warm-up duration
 * @param measureNanos measured duration
 */
record Window(long warmupNanos, long measureNanos) {}
