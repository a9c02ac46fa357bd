package io.cairn.coordination.internal.jute;

import io.cairn.coordination.internal.jute.Frames.RequestFrame;
import io.cairn.coordination.internal.jute.Requests.Create;
import io.cairn.coordination.internal.jute.Requests.Multi;
import io.cairn.coordination.internal.jute.Requests.Op;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the decoders with random and mutated frames: each call must end in a decoded record or a
 * {@link JuteDecodeException}, never another exception (which would reach Netty's pipeline).
 * Seeded: a failure names the seed, and {@code -Dfuzz.seed=N} replays it.
 */
class JuteFuzzPropertyTest {
  private static final List<byte[]> SEEDS =
      List.of(
          Frames.encodeRequest(
              new RequestFrame(
                  1, OpCode.CREATE, new Create("/a/b", new byte[] {1, 2}, Acl.OPEN, 3, 0))),
          Frames.encodeRequest(
              new RequestFrame(
                  2,
                  OpCode.MULTI,
                  new Multi(
                      List.of(
                          new Op(OpCode.CREATE_TTL, new Create("/t", null, Acl.OPEN, 5, 9)),
                          new Op(OpCode.DELETE, new Requests.Delete("/t", -1)))))),
          Frames.encodeRequest(
              new RequestFrame(
                  -8,
                  OpCode.SET_WATCHES2,
                  new Requests.SetWatches(
                      1, List.of("/a"), List.of("/b"), List.of(), List.of(), List.of("/c")))),
          Frames.encodeRequest(
              new RequestFrame(
                  -4, OpCode.AUTH, new Requests.Auth(0, "digest", new byte[] {'a', ':', 'b'}))),
          new Frames.ConnectRequest(0, 0, 4000, 0, new byte[16], false).toBytes());

  private static final int[] INTERESTING = {0, 1, 0x7f, 0x80, 0xff, 0xfe};

  @Test
  void randomBytesDecodeOrFailTyped() {
    Fuzz.run("random bytes", 3000, random -> {
      byte[] frame = new byte[random.nextInt(65)];
      random.nextBytes(frame);
      decodeAll(frame);
    });
  }

  @Test
  void mutatedFramesDecodeOrFailTyped() {
    Fuzz.run("mutated frames", 3000, random -> {
      byte[] frame = SEEDS.get(random.nextInt(SEEDS.size())).clone();
      int mutations = random.nextInt(5);
      for (int i = 0; i < mutations; i++) {
        frame[random.nextInt(1001) % frame.length] =
            (byte) INTERESTING[random.nextInt(INTERESTING.length)];
      }
      int truncateTo = random.nextInt(201);
      if (truncateTo < frame.length) {
        frame = Arrays.copyOf(frame, truncateTo);
      }
      decodeAll(frame);
    });
  }

  private static void decodeAll(byte[] frame) {
    try {
      Frames.decodeRequest(frame);
    } catch (JuteDecodeException expected) {
      // A typed decode error is an allowed outcome.
    }
    try {
      Frames.decodeConnect(frame);
    } catch (JuteDecodeException expected) {
      // A typed decode error is an allowed outcome.
    }
    try {
      io.cairn.coordination.internal.core.CommandFuzzAccess.decode(frame);
    } catch (JuteDecodeException expected) {
      // A typed decode error is an allowed outcome.
    }
  }
}
