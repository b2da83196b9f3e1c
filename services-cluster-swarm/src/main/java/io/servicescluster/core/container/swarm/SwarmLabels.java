package io.servicescluster.core.container.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Service;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The labels on every swarm service, secret and config this kind makes (the docker kind's names:
 * one clean-up finds both), and the clean-up of what a manager that died left: its remotes have
 * exited (R11: they lost their control connection), but the swarm keeps the services, their
 * secrets and the code configs until someone removes them. A manager is its host, pid and start
 * time, so that a reused pid does not pass for the manager that made a service.
 */
final class SwarmLabels {

    static final String PREFIX = "io.servicescluster.";
    static final String CLUSTER = PREFIX + "cluster";
    static final String SERVICE = PREFIX + "service";
    static final String HOST = PREFIX + "manager-host";
    static final String MANAGER_PID = PREFIX + "manager-pid";
    static final String MANAGER_START = PREFIX + "manager-start";

    private static final Logger log = LoggerFactory.getLogger(SwarmLabels.class);

    private SwarmLabels() {
    }

    /** The labels of what this manager makes for {@code service} of {@code cluster} ({@code service} may be empty: shared code). */
    static Map<String, String> of(String cluster, String service) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(CLUSTER, cluster);
        if (!service.isEmpty()) {
            labels.put(SERVICE, service);
        }
        labels.put(HOST, hostName());
        labels.put(MANAGER_PID, Long.toString(ProcessHandle.current().pid()));
        labels.put(MANAGER_START, startOf(ProcessHandle.current()).map(Instant::toString).orElse(""));
        return labels;
    }

    /**
     * {@code PID-START} (the start in epoch seconds): this manager on its host, in the names of
     * the configs it makes (docker-java reads no labels of a config, so the clean-up reads the name).
     */
    static String managerId() {
        return ProcessHandle.current().pid() + "-"
                + startOf(ProcessHandle.current()).map(Instant::getEpochSecond).orElse(0L);
    }

    /** Whether the manager of a config named {@code …-PID-START} still runs. */
    static boolean managerAlive(String configName) {
        String[] parts = configName.split("-");
        if (parts.length < 2) {
            return true;
        }
        try {
            long pid = Long.parseLong(parts[parts.length - 2]);
            long start = Long.parseLong(parts[parts.length - 1]);
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .map(p -> start == 0 || startOf(p).map(Instant::getEpochSecond).map(s -> s == start).orElse(true))
                    .orElse(false);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /**
     * Removes the swarm services, secrets and configs that managers on this host left when they
     * died, or, with {@code cluster}, every one of that cluster whose manager is gone.
     *
     * @return how many services were removed
     */
    static int removeOrphans(DockerClient docker, Optional<String> cluster) {
        Map<String, String> filter = cluster.map(c -> Map.of(CLUSTER, c)).orElse(Map.of(HOST, hostName()));
        int removed = 0;
        for (Service service : docker.listServicesCmd().withLabelFilter(filter).exec()) {
            Map<String, String> labels = service.getSpec() == null ? null : service.getSpec().getLabels();
            if (labels == null || managerAlive(labels)) {
                continue;
            }
            try {
                docker.removeServiceCmd(service.getId()).exec();
                removed++;
                log.info("removed swarm service {} of '{}' (cluster '{}'), left by manager pid {} on {} that died",
                        service.getSpec().getName(), labels.get(SERVICE), labels.get(CLUSTER), labels.get(MANAGER_PID),
                        labels.get(HOST));
            } catch (RuntimeException e) {
                log.debug("could not remove swarm service {}: {}", service.getId(), e.toString());
            }
        }
        docker.listSecretsCmd().withLabelFilter(filter).exec().stream()
                .filter(s -> s.getSpec() != null && s.getSpec().getLabels() != null && !managerAlive(s.getSpec().getLabels()))
                .forEach(s -> quietly(() -> docker.removeSecretCmd(s.getId()).exec()));
        docker.listConfigsCmd().withFilters(Map.of("label", List.of(HOST + "=" + hostName()))).exec().stream()
                .filter(c -> c.getSpec() != null && c.getSpec().getName() != null && !managerAlive(c.getSpec().getName()))
                .forEach(c -> quietly(() -> docker.removeConfigCmd(c.getId()).exec()));
        return removed;
    }

    private static void quietly(Runnable removal) {
        try {
            removal.run();
        } catch (RuntimeException e) {
            // in use, or gone meanwhile
        }
    }

    /** Whether the manager these labels name still runs; one of another host is not ours to judge. */
    static boolean managerAlive(Map<String, String> labels) {
        if (!hostName().equals(labels.get(HOST))) {
            return true;
        }
        long pid;
        try {
            pid = Long.parseLong(labels.getOrDefault(MANAGER_PID, ""));
        } catch (NumberFormatException e) {
            return true;
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

    static String hostName() {
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
