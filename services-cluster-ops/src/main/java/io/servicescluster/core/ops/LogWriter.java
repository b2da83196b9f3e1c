package io.servicescluster.core.ops;

import io.servicescluster.core.control.UntrustedText;
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
 * dropped and counted per file; once there is room again the writer notes in that file, where
 * the gap is, how many lines were dropped. Each text line gets its arrival time as a prefix.
 *
 * <p>Thread-safe: {@link #text} and {@link #raw} may be called from any thread.
 */
public final class LogWriter implements AutoCloseable {

    /**
     * How time stamps look: {@code 2026-11-24T15:00:00.123456Z}, fixed width. Microseconds, so
     * that the lines of a service's two streams can be merged back in the order they came.
     */
    public static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** One line; {@code dropsBefore} is how many lines of the file were dropped before it was queued. */
    private record Entry(String file, Instant at, String text, boolean stamped, long dropsBefore) {
    }

    private static final Entry END = new Entry("", Instant.EPOCH, "", false, 0);

    private final Path folder;
    private final LogSettings settings;
    private final BlockingQueue<Entry> queue;
    /** Lines dropped per file, ever. */
    private final Map<String, AtomicLong> dropped = new ConcurrentHashMap<>();
    /** Lines dropped per file and noted in it so far. */
    private final Map<String, Long> noted = new ConcurrentHashMap<>();
    private final Map<String, RotatingFile> files = new HashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    /** Starts the writer thread for files in {@code folder}. */
    public LogWriter(Path folder, LogSettings settings) {
        this(folder, settings, true);
    }

    /** For tests: a writer whose thread begins only at {@link #start()} when {@code startNow} is false. */
    LogWriter(Path folder, LogSettings settings, boolean startNow) {
        this.folder = folder;
        this.settings = settings;
        this.queue = new ArrayBlockingQueue<>(settings.queueLines());
        this.thread = Thread.ofPlatform().daemon().name("svc-log-writer").unstarted(this::run);
        if (startNow) {
            thread.start();
        }
    }

    /** Starts the writer thread of a writer made not to start at once. */
    void start() {
        thread.start();
    }

    /** Queues {@code line} for {@code file} with the current time as prefix; drops it if the queue is full. */
    public void text(String file, String line) {
        text(file, Instant.now(), line);
    }

    /**
     * Queues {@code line} for {@code file} with the time stamp {@code at}; drops it if the queue is
     * full. Control characters are escaped ({@link UntrustedText#escape}): one line stays one line.
     */
    public void text(String file, Instant at, String line) {
        offer(new Entry(file, at, UntrustedText.escape(line), true, drops(file)));
    }

    /** Queues {@code line} for {@code file} as it is (a JSON line, say); drops it if the queue is full. */
    public void raw(String file, String line) {
        offer(new Entry(file, Instant.now(), line, false, drops(file)));
    }

    private long drops(String file) {
        AtomicLong count = dropped.get(file);
        return count == null ? 0 : count.get();
    }

    private void offer(Entry entry) {
        if (closed || !queue.offer(entry)) {
            dropped.computeIfAbsent(entry.file(), f -> new AtomicLong()).incrementAndGet();
        }
    }

    /** How many lines were dropped for {@code file} and not yet noted in it. */
    public long pendingDrops(String file) {
        return drops(file) - noted.getOrDefault(file, 0L);
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
                noteDrops(entry.file(), entry.dropsBefore());
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
        dropped.forEach((file, count) -> noteDrops(file, count.get()));
    }

    /** Notes in {@code file} the lines dropped up to the {@code upTo}-th, those not noted yet. */
    private void noteDrops(String file, long upTo) {
        long lines = upTo - noted.getOrDefault(file, 0L);
        if (lines > 0) {
            noted.put(file, upTo);
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
