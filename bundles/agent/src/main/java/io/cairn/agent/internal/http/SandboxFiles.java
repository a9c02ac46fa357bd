package io.cairn.agent.internal.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code /files/browse} and {@code /files/read} in Mesos's JSON shapes (src/files/files.cpp),
 * restricted to the sandboxes: a path must resolve (symlinks followed) to the work dir's {@code
 * frameworks} tree, or it is answered 404 as a path Mesos has not attached. Reads are capped at
 * 1 MiB per request. Called on an HTTP thread; only reads files.
 */
final class SandboxFiles {
  static final int READ_MAX_BYTES = 1024 * 1024;

  /** An answer: status code and JSON (or a sentence for errors). */
  record Answer(int status, String body) {}

  private final Path root;

  SandboxFiles(Path workDir) {
    this.root = workDir.resolve("frameworks");
  }

  Answer browse(String path) throws IOException {
    if (path == null || path.isBlank()) {
      return new Answer(400, "Expecting 'path' in query.");
    }
    Path dir = resolve(path);
    if (dir == null || !Files.exists(dir)) {
      return new Answer(404, "No such file or directory: " + path);
    }
    Json json = new Json().array();
    if (Files.isDirectory(dir)) {
      List<Path> children;
      try (Stream<Path> list = Files.list(dir)) {
        children = list.sorted().toList();
      }
      for (Path child : children) {
        fileInfo(json, child);
      }
    } else {
      fileInfo(json, dir);
    }
    return new Answer(200, json.endArray().toString());
  }

  Answer read(String path, String offsetText, String lengthText) throws IOException {
    if (path == null || path.isBlank()) {
      return new Answer(400, "Expecting 'path' in query.");
    }
    if (offsetText == null) {
      return new Answer(400, "Expecting 'offset' in query.");
    }
    long offset;
    long length;
    try {
      offset = Long.parseLong(offsetText);
      length = lengthText == null ? -1 : Long.parseLong(lengthText);
    } catch (NumberFormatException e) {
      return new Answer(400, "Failed to parse offset or length: " + e.getMessage() + ".");
    }
    Path file = resolve(path);
    if (file == null || !Files.exists(file)) {
      return new Answer(404, "No such file or directory: " + path);
    }
    if (Files.isDirectory(file)) {
      return new Answer(400, "Cannot read a directory: " + path);
    }
    long size = Files.size(file);
    if (offset == -1) {
      return new Answer(200, new Json().object().field("data", "").field("offset", size)
          .endObject().toString());
    }
    if (offset < 0 || offset > size) {
      return new Answer(400, "Offset " + offset + " is outside the file of " + size + " bytes.");
    }
    long want = length < 0 ? size - offset : Math.min(length, size - offset);
    int count = (int) Math.min(want, READ_MAX_BYTES);
    ByteBuffer buffer = ByteBuffer.allocate(count);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) > 0) {
        // Reads until the buffer is full or the file ends.
      }
    }
    String data = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    return new Answer(200, new Json().object().field("data", data).field("offset", offset)
        .endObject().toString());
  }

  /** The real path inside the sandboxes, or null when it is elsewhere or missing. */
  private Path resolve(String path) throws IOException {
    Path candidate = Path.of(path).normalize();
    if (!candidate.isAbsolute() || !Files.exists(candidate) || !Files.isDirectory(root)) {
      return null;
    }
    Path real = candidate.toRealPath();
    return real.startsWith(root.toRealPath()) ? real : null;
  }

  private static void fileInfo(Json json, Path file) throws IOException {
    PosixFileAttributes attrs =
        Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    String type = attrs.isDirectory() ? "d" : attrs.isSymbolicLink() ? "l" : "-";
    Object nlink = Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
    json.object()
        .field("path", file.toString())
        .field("nlink", ((Number) nlink).longValue())
        .field("size", attrs.size())
        .field("mtime", attrs.lastModifiedTime().toMillis() / 1000)
        .field("mode", type + PosixFilePermissions.toString(attrs.permissions()))
        .field("uid", attrs.owner().getName())
        .field("gid", attrs.group().getName())
        .endObject();
  }
}
