package io.cairn.simulation;

import java.util.PriorityQueue;

/**
 * Virtual time: actions ordered by (time, insertion order), so equal times run in a fixed order and
 * one seed always replays the same schedule. Single-threaded.
 */
final class EventQueue {
  private record Event(long time, long seq, Runnable action) implements Comparable<Event> {
    @Override
    public int compareTo(Event other) {
      int byTime = Long.compare(time, other.time);
      return byTime != 0 ? byTime : Long.compare(seq, other.seq);
    }
  }

  private final PriorityQueue<Event> events = new PriorityQueue<>();
  private long now;
  private long seq;

  long now() {
    return now;
  }

  void at(long time, Runnable action) {
    events.add(new Event(Math.max(time, now), seq++, action));
  }

  /** Runs every event due up to and including {@code until}; time then stands at {@code until}. */
  void runUntil(long until) {
    while (!events.isEmpty() && events.peek().time() <= until) {
      Event event = events.poll();
      now = event.time();
      event.action().run();
    }
    now = Math.max(now, until);
  }
}
