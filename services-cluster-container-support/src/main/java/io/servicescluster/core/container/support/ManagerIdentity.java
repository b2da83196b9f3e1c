package io.servicescluster.core.container.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Who made an engine object (a container, a pod's owner): a manager is its host name, pid and
 * start time, so that a reused pid does not pass for the manager that made it. Kinds record these
 * on what they make and ask {@link #isAlive} before removing what a dead manager left (R11).
 *
 * @param host the manager's host name
 * @param pid its process id
 * @param start its start time ({@link Instant#toString()}), empty if the system does not tell
 */
public record ManagerIdentity(String host, long pid, String start) {

    /** This manager. */
    public static ManagerIdentity current() {
        ProcessHandle self = ProcessHandle.current();
        return new ManagerIdentity(hostName(), self.pid(), startOf(self).map(Instant::toString).orElse(""));
    }

    /**
     * Whether the manager that recorded {@code pid} and {@code start} on this host still runs; an
     * unreadable pid is not ours to judge (alive). Only meaningful for a record of this host.
     */
    public static boolean isAlive(String pid, String start) {
        long number;
        try {
            number = Long.parseLong(pid == null ? "" : pid);
        } catch (NumberFormatException e) {
            return true;
        }
        Optional<ProcessHandle> manager = ProcessHandle.of(number).filter(ProcessHandle::isAlive);
        if (manager.isEmpty()) {
            return false;
        }
        return start == null || start.isEmpty()
                || startOf(manager.get()).map(Instant::toString).map(start::equals).orElse(true);
    }

    private static Optional<Instant> startOf(ProcessHandle process) {
        return process.info().startInstant();
    }

    /** The kernel's host name (what {@code hostname} prints), else the resolver's. */
    public static String hostName() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: ask the resolver
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
