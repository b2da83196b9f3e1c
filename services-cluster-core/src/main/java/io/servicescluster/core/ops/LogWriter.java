package io.servicescluster.core.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * Writes lines to {@link RotatingFile}s in one folder on a dedicated thread, fed by a bounded
 * queue, so that those who log never wait for the disk. When the queue is full a line is
 * dropped and counted per file; once there is room again the writer notes in that file how many
 * lines were dropped. Each text line gets its arrival time as a prefix.
 *
 * <p>Thread-safe: {@link #text} and {@link #raw} may be called from any thread.
 */
public final class LogWriter implements AutoCloseable {

    /** How time stamps look: {@code 2026-11-24T15:00:00.123Z}, fixed width. */
    public static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private record Entry(String file, Instant at, String text, boolean stamped) {
    }

    private static final Entry END = new Entry("", Instant.EPOCH, "", false);

    private final Path folder;
    private final LogSettings settings;
    private final BlockingQueue<Entry> queue;
    private final Map<String, AtomicLong> dropped = new ConcurrentHashMap<>();
    private final Map<String, RotatingFile> files = new HashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    /** Starts the writer thread for files in {@code folder}. */
    public LogWriter(Path folder, LogSettings settings) {
        this.folder = folder;
        this.settings = settings;
        this.queue = new ArrayBlockingQueue<>(settings.queueLines());
        this.thread = Thread.ofPlatform().daemon().name("svc-log-writer").start(this::run);
    }

    /** Queues {@code line} for {@code file} with the current time as prefix; drops it if the queue is full. */
    public void text(String file, String line) {
        offer(new Entry(file, Instant.now(), line, true));
    }

    /** Queues {@code line} for {@code file} as it is (a JSON line, say); drops it if the queue is full. */
    public void raw(String file, String line) {
        offer(new Entry(file, Instant.now(), line, false));
    }

    private void offer(Entry entry) {
        if (closed || !queue.offer(entry)) {
            dropped.computeIfAbsent(entry.file(), f -> new AtomicLong()).incrementAndGet();
        }
    }

    /** How many lines were dropped for {@code file} and not yet noted in it. */
    public long pendingDrops(String file) {
        AtomicLong count = dropped.get(file);
        return count == null ? 0 : count.get();
    }

    private void run() {
        try {
            while (true) {
                Entry entry = queue.poll(200, TimeUnit.MILLISECONDS);
                if (entry == END) {
                    break;
                }
                if (entry == null) {
                    noteAllDrops();
                    flushAll();
                    continue;
                }
                noteDrops(entry.file());
                write(entry.file(), entry.stamped() ? TIME.format(entry.at()) + " " + entry.text() : entry.text());
                if (queue.isEmpty()) {
                    flushAll();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        noteAllDrops();
        closeAll();
    }

    private void noteAllDrops() {
        dropped.keySet().forEach(this::noteDrops);
    }

    private void noteDrops(String file) {
        AtomicLong count = dropped.get(file);
        long lines = count == null ? 0 : count.getAndSet(0);
        if (lines > 0) {
            write(file, TIME.format(Instant.now()) + " [svc] " + lines + " lines dropped: written faster than the log could take them");
        }
    }

    private void write(String file, String line) {
        try {
            RotatingFile target = files.get(file);
            if (target == null) {
                target = new RotatingFile(folder.resolve(file), settings.maxFileBytes(), settings.keptFiles());
                files.put(file, target);
            }
            target.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LoggerFactory.getLogger(LogWriter.class).warn("cannot write the log {}: {}", file, e.toString());
        }
    }

    private void flushAll() {
        for (RotatingFile file : files.values()) {
            try {
                file.flush();
            } catch (IOException e) {
                LoggerFactory.getLogger(LogWriter.class).warn("cannot flush a log file: {}", e.toString());
            }
        }
    }

    private void closeAll() {
        for (RotatingFile file : files.values()) {
            try {
                file.close();
            } catch (IOException ignored) {
                // nothing more can be done for a log at the end
            }
        }
    }

    /** Writes what is queued, notes drops, closes the files and ends the thread. Idempotent. */
    @Override
    public void close() throws InterruptedException {
        if (!closed) {
            closed = true;
            queue.put(END);
        }
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }
}
