package io.servicescluster.core.container.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The labels on every container this kind makes, and the clean-up of containers whose manager
 * died: a manager is identified by host name, pid and start time, so that a reused pid does not
 * pass for the manager that made a container.
 */
final class Labels {

    static final String PREFIX = "io.servicescluster.";
    static final String CLUSTER = PREFIX + "cluster";
    static final String SERVICE = PREFIX + "service";
    static final String HOST = PREFIX + "manager-host";
    static final String MANAGER_PID = PREFIX + "manager-pid";
    static final String MANAGER_START = PREFIX + "manager-start";

    private static final Logger log = LoggerFactory.getLogger(Labels.class);

    private Labels() {
    }

    /** The labels of a container of {@code service} in {@code cluster}, made by this manager. */
    static Map<String, String> of(String cluster, String service) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(CLUSTER, cluster);
        labels.put(SERVICE, service);
        labels.put(HOST, hostName());
        labels.put(MANAGER_PID, Long.toString(ProcessHandle.current().pid()));
        labels.put(MANAGER_START, startOf(ProcessHandle.current()).map(Instant::toString).orElse(""));
        return labels;
    }

    /**
     * Removes the containers that managers on this host left when they died (R11: their remotes
     * exited when the control connection dropped, but the stopped containers stay until removed).
     *
     * @return how many were removed
     */
    static int removeOrphans(DockerClient docker) {
        List<Container> ours = docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(HOST, hostName())).exec();
        int removed = 0;
        for (Container container : ours) {
            Map<String, String> labels = container.getLabels();
            if (labels == null || managerAlive(labels)) {
                continue;
            }
            try {
                docker.removeContainerCmd(container.getId()).withForce(true).exec();
                removed++;
                log.info("removed container {} of service '{}' (cluster '{}'), left by manager pid {} that died",
                        container.getId().substring(0, 12), labels.get(SERVICE), labels.get(CLUSTER),
                        labels.get(MANAGER_PID));
            } catch (RuntimeException e) {
                log.debug("could not remove container {}: {}", container.getId(), e.toString());
            }
        }
        return removed;
    }

    private static boolean managerAlive(Map<String, String> labels) {
        long pid;
        try {
            pid = Long.parseLong(labels.getOrDefault(MANAGER_PID, ""));
        } catch (NumberFormatException e) {
            return true; // not ours to judge
        }
        Optional<ProcessHandle> manager = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (manager.isEmpty()) {
            return false;
        }
        String start = labels.getOrDefault(MANAGER_START, "");
        return start.isEmpty() || startOf(manager.get()).map(Instant::toString).map(start::equals).orElse(true);
    }

    private static Optional<Instant> startOf(ProcessHandle process) {
        return process.info().startInstant();
    }

    private static String hostName() {
        try {
            String name = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: ask the resolver
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
