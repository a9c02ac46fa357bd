package io.cairn.framework.runtime.internal.driver;

import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.framework.runtime.internal.core.RecordIoDecoder;
import io.cairn.proto.mesos.v1.scheduler.Protos.Event;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Reads a subscription's RecordIO stream of protobuf {@link Event}s until it ends, handing each
 * event and finally the reason it ended to the framework's thread.
 *
 * <p>Threading: runs on the stream's own reader thread and blocks on the socket.
 */
final class EventReader {
  private EventReader() {}

  static void read(InputStream body, int maxRecordBytes, Consumer<Event> events,
      Consumer<String> ended) {
    RecordIoDecoder decoder = new RecordIoDecoder(maxRecordBytes);
    byte[] buffer = new byte[16 * 1024];
    String reason;
    try (InputStream in = body) {
      while (true) {
        int n = in.read(buffer);
        if (n < 0) {
          reason = "closed by the master";
          break;
        }
        for (byte[] record : decoder.feed(buffer, 0, n)) {
          events.accept(Event.parseFrom(record));
        }
      }
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      reason = "undecodable event: " + e.getMessage();
    } catch (IOException e) {
      reason = e.toString();
    }
    ended.accept(reason);
  }
}
