package io.servicescluster.core.ops;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A file of lines that never grows past a size: when the next line would not fit, the file is
 * renamed {@code FILE.1} (older ones shift to {@code FILE.2} …, the oldest beyond {@code kept}
 * is deleted) and a new one begun. A line longer than the size is cut to it. Appends to an
 * existing file. Not thread-safe: one writer thread owns it.
 */
public final class RotatingFile implements AutoCloseable {

    private final Path path;
    private final long maxBytes;
    private final int kept;
    private OutputStream out;
    private long size;

    /**
     * Opens {@code path} for appending, creating it and its folder.
     *
     * @param maxBytes the size no file exceeds
     * @param kept how many rotated files to keep
     */
    public RotatingFile(Path path, long maxBytes, int kept) throws IOException {
        this.path = path;
        this.maxBytes = maxBytes;
        this.kept = kept;
        Files.createDirectories(path.toAbsolutePath().getParent());
        open();
    }

    private void open() throws IOException {
        out = new BufferedOutputStream(Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
                64 * 1024);
        size = Files.size(path);
    }

    /** Writes one line; {@code line} ends with its newline. Rotates first if it would not fit. */
    public void write(byte[] line) throws IOException {
        int length = (int) Math.min(line.length, maxBytes);
        if (size > 0 && size + length > maxBytes) {
            rotate();
        }
        out.write(line, 0, length);
        size += length;
    }

    /** Rotates now: {@code FILE} becomes {@code FILE.1} and a new, empty {@code FILE} begins. */
    public void rotate() throws IOException {
        out.close();
        if (kept == 0) {
            Files.delete(path);
        } else {
            Files.deleteIfExists(rotated(kept));
            for (int i = kept - 1; i >= 1; i--) {
                if (Files.exists(rotated(i))) {
                    Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(path, rotated(1), StandardCopyOption.REPLACE_EXISTING);
        }
        open();
    }

    /** The path of the {@code index}-th rotated file, 1 the newest. */
    public Path rotated(int index) {
        return path.resolveSibling(path.getFileName() + "." + index);
    }

    /** The current file's size in bytes, as written so far (flushed or not). */
    public long size() {
        return size;
    }

    /** Pushes buffered lines to the file. */
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
