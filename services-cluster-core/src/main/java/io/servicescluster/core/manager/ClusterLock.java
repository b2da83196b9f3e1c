package io.servicescluster.core.manager;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One manager per state folder: an exclusive lock on {@code STATEDIR/manager.lock}, held for the
 * manager's life, with the manager's pid in the file. The operating system releases the lock
 * when the process ends, however it ends, so a killed manager never blocks the next run; and
 * {@link FileChannel#tryLock()} decides between two managers starting at once. The file itself
 * is never deleted: a second manager may have it open, and a new file would be a second lock.
 */
final class ClusterLock implements AutoCloseable {

    static final String FILE_NAME = "manager.lock";
    /** How long to wait for the holder to write its pid after it took the lock. */
    private static final long PID_WAIT_MILLIS = 1000;

    /**
     * The state folders locked by managers of this process. Checked before the file is opened:
     * closing any channel of a file drops every lock this process holds on it (POSIX locks
     * belong to the process), so a second manager here must not even open it.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path stateDir;
    private final FileChannel channel;

    private ClusterLock(Path stateDir, FileChannel channel) {
        this.stateDir = stateDir;
        this.channel = channel;
    }

    /** The locked state folder, by its real path (no link on the way). */
    Path stateDir() {
        return stateDir;
    }

    /**
     * Takes the lock of {@code stateDir} (created if missing) and writes this process's pid in it.
     *
     * @throws ClusterRunningException if another manager holds it
     */
    static ClusterLock acquire(String cluster, Path stateDir) throws IOException {
        Path folder = Files.createDirectories(stateDir).toRealPath();
        if (!HELD.add(folder)) {
            throw new ClusterRunningException(cluster, folder, OptionalLong.of(ProcessHandle.current().pid()));
        }
        try {
            FileChannel channel = FileChannel.open(folder.resolve(FILE_NAME), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                if (channel.tryLock() == null) {
                    throw new ClusterRunningException(cluster, folder, holder(channel));
                }
                channel.truncate(0);
                channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
                return new ClusterLock(folder, channel);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            HELD.remove(folder);
            throw e;
        }
    }

    /** The pid the holder wrote, waiting a little for a holder that has just taken the lock. */
    private static OptionalLong holder(FileChannel channel) throws IOException {
        long deadline = System.nanoTime() + PID_WAIT_MILLIS * 1_000_000;
        do {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            channel.read(buffer, 0);
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
            if (text.matches("\\d+")) {
                return OptionalLong.of(Long.parseLong(text));
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        } while (System.nanoTime() < deadline);
        return OptionalLong.empty();
    }

    /** Releases the lock (closing the channel releases it). Idempotent. */
    @Override
    public void close() throws IOException {
        if (channel.isOpen()) {
            channel.close();
            HELD.remove(stateDir);
        }
    }
}
