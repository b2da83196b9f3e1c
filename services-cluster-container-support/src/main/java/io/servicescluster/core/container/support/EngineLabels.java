package io.servicescluster.core.container.support;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The labels on what the engine kinds (docker, swarm) make — containers, swarm services, secrets,
 * volumes — and who made it: a manager is its host name, pid and start time, so that a reused
 * pid does not pass for the manager that made something. The clean-up of what a manager that died
 * left is each kind's, found by these labels; the rule for "died" is here.
 */
public final class EngineLabels {

    public static final String PREFIX = "io.servicescluster.";
    public static final String CLUSTER = PREFIX + "cluster";
    public static final String SERVICE = PREFIX + "service";
    public static final String HOST = PREFIX + "manager-host";
    public static final String MANAGER_PID = PREFIX + "manager-pid";
    public static final String MANAGER_START = PREFIX + "manager-start";

    private EngineLabels() {
    }

    /** The labels of what this manager makes for {@code service} of {@code cluster}; an empty {@code service}: for the cluster. */
    public static Map<String, String> of(String cluster, String service) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(CLUSTER, cluster);
        if (!service.isEmpty()) {
            labels.put(SERVICE, service);
        }
        ManagerIdentity manager = ManagerIdentity.current();
        labels.put(HOST, manager.host());
        labels.put(MANAGER_PID, Long.toString(manager.pid()));
        labels.put(MANAGER_START, manager.start());
        return labels;
    }

    /**
     * Whether the manager these labels name still runs on this host. Labels without a pid, or of
     * another host, are not ours to judge: alive.
     */
    public static boolean managerAlive(Map<String, String> labels) {
        if (labels.containsKey(HOST) && !hostName().equals(labels.get(HOST))) {
            return true;
        }
        long pid;
        try {
            pid = Long.parseLong(labels.getOrDefault(MANAGER_PID, ""));
        } catch (NumberFormatException e) {
            return true;
        }
        String start = labels.getOrDefault(MANAGER_START, "");
        return alive(pid, start.isEmpty() ? Optional.empty() : Optional.of(start));
    }

    /** Whether process {@code pid} runs and, if {@code start} is known, started then (an {@link Instant} or epoch seconds). */
    public static boolean alive(long pid, Optional<String> start) {
        Optional<ProcessHandle> manager = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (manager.isEmpty()) {
            return false;
        }
        if (start.isEmpty()) {
            return true;
        }
        return startOf(manager.get()).map(s -> s.toString().equals(start.get())
                || Long.toString(s.getEpochSecond()).equals(start.get())).orElse(true);
    }

    /** This manager's start, if the system says. */
    public static Optional<Instant> thisStart() {
        return startOf(ProcessHandle.current());
    }

    private static Optional<Instant> startOf(ProcessHandle process) {
        return process.info().startInstant();
    }

    /** This host's name: the kernel's, else the resolver's ({@link ManagerIdentity#hostName()}). */
    public static String hostName() {
        return ManagerIdentity.hostName();
    }

    /** An engine's error in one line: docker-java's messages carry the engine's JSON answer. */
    public static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        int json = message.indexOf("{\"message\":\"");
        if (json >= 0) {
            int end = message.indexOf('"', json + 12);
            message = message.substring(json + 12, end > 0 ? end : message.length());
        }
        return message.replace('\n', ' ');
    }
}
