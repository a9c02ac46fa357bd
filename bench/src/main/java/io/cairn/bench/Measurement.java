package io.cairn.bench;

/**
 * One measured rate with its latency distribution.
 *
 * @param opsPerSecond completed operations per second in the measured window
 * @param latencies sorted latency samples of those operations
 * @param syncsPerSecond device syncs per second (0 when not known)
 * @param meanSyncMicros mean duration of one synced write in microseconds (0 when not known)
 */
record Measurement(
    double opsPerSecond, Latencies latencies, double syncsPerSecond, double meanSyncMicros) {}
