package io.servicescluster.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Consumer;

/**
 * Reads a rotating log file ({@code FILE.N} … {@code FILE.1}, then {@code FILE}) and follows it
 * across rotations: when {@code FILE} is renamed to {@code FILE.1}, the rest of the old file is
 * read there before the new {@code FILE} from its start. Only complete lines are handed on.
 */
final class LogTail {

    private final Path file;
    private Object fileKey;
    private long offset;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    LogTail(Path file) {
        this.file = file;
    }

    /** Hands every complete line, the oldest rotated file first, to {@code line}. */
    void readAll(Consumer<String> line) throws IOException {
        int oldest = 1;
        while (Files.exists(rotated(oldest + 1))) {
            oldest++;
        }
        for (int i = oldest; i >= 1; i--) {
            Path older = rotated(i);
            if (Files.exists(older)) {
                partial.reset();
                read(older, 0, line);
            }
        }
        partial.reset();
        fileKey = key(file);
        offset = fileKey == null ? 0 : read(file, 0, line);
    }

    /**
     * Hands the complete lines written since the last call (or {@link #readAll}) to {@code line};
     * when {@code FILE} was rotated meanwhile, the rest of the old one first.
     */
    void readNew(Consumer<String> line) throws IOException {
        Object key = key(file);
        if (fileKey != null && !fileKey.equals(key)) {
            Path previous = rotated(1);
            if (fileKey.equals(key(previous))) {
                read(previous, offset, line);
            }
            partial.reset();
            offset = 0;
        }
        fileKey = key;
        if (key != null) {
            offset = read(file, offset, line);
        }
    }

    private Path rotated(int index) {
        return file.resolveSibling(file.getFileName() + "." + index);
    }

    private static Object key(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** Reads {@code path} from {@code from}, handing complete lines on; returns the new offset. */
    private long read(Path path, long from, Consumer<String> line) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long position = channel.size() < from ? 0 : from;
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            while (channel.read(buffer, position) > 0) {
                buffer.flip();
                position += buffer.remaining();
                while (buffer.hasRemaining()) {
                    byte b = buffer.get();
                    if (b == '\n') {
                        line.accept(partial.toString(StandardCharsets.UTF_8));
                        partial.reset();
                    } else {
                        partial.write(b);
                    }
                }
                buffer.clear();
            }
            return position;
        } catch (NoSuchFileException e) {
            return from;
        }
    }
}
