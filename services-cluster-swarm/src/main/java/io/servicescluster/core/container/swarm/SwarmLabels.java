package io.servicescluster.core.container.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Config;
import com.github.dockerjava.api.model.Secret;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import io.servicescluster.core.container.support.EngineLabels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The labels on every swarm service, its container, secret and volume ({@link EngineLabels}: the
 * docker kind's, so one clean-up finds both), and the clean-up of what a manager that died left:
 * its remotes have exited (R11: they lost their control connection), but the swarm keeps the
 * services, their secrets and the code configs until someone removes them.
 */
final class SwarmLabels {

    static final String CLUSTER = EngineLabels.CLUSTER;
    static final String SERVICE = EngineLabels.SERVICE;
    static final String HOST = EngineLabels.HOST;
    static final String MANAGER_PID = EngineLabels.MANAGER_PID;

    private static final Logger log = LoggerFactory.getLogger(SwarmLabels.class);

    private SwarmLabels() {
    }

    /** The labels of what this manager makes for {@code service} of {@code cluster} ({@code service} may be empty: shared code). */
    static Map<String, String> of(String cluster, String service) {
        return EngineLabels.of(cluster, service);
    }

    /**
     * {@code PID-START} (the start in epoch seconds): this manager on its host, in the names of
     * the configs it makes (docker-java reads no labels of a config, so the clean-up reads the name).
     */
    static String managerId() {
        return ProcessHandle.current().pid() + "-" + EngineLabels.thisStart().map(Instant::getEpochSecond).orElse(0L);
    }

    /** Whether the manager of a config named {@code …-PID-START} still runs. */
    static boolean managerAlive(String configName) {
        String[] parts = configName.split("-");
        if (parts.length < 2) {
            return true;
        }
        try {
            long pid = Long.parseLong(parts[parts.length - 2]);
            String start = parts[parts.length - 1];
            return EngineLabels.alive(pid, start.equals("0") ? Optional.empty() : Optional.of(start));
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /**
     * Removes the swarm services, secrets and configs that managers left when they died, of
     * {@code cluster} or of every cluster. A manager of this host is dead when its pid and start
     * time no longer run. One of another host cannot be asked: with {@code otherHosts}, its
     * service counts as left once every task of it ended more than that long ago (a live manager
     * removes a service within seconds of its task's end), its secret once that service is gone
     * and the secret is as old; without, its things are kept. Configs are named by their
     * manager's pid and start, so only this host's are judged.
     *
     * @return what was removed, one line each
     */
    static List<String> removeOrphans(DockerClient docker, Optional<String> cluster, Optional<Duration> otherHosts) {
        Map<String, String> filter = new HashMap<>();
        cluster.ifPresent(name -> filter.put(CLUSTER, name));
        if (otherHosts.isEmpty()) {
            filter.put(HOST, EngineLabels.hostName());
        }
        List<String> removed = new ArrayList<>();
        Set<String> remaining = new HashSet<>();
        if (filter.isEmpty()) {
            filter.put(CLUSTER, ""); // every cluster of every host: whatever has the label (docker-java sends the key alone)
        }
        List<Service> services = docker.listServicesCmd().withLabelFilter(filter).exec();
        for (Service service : services) {
            Map<String, String> labels = service.getSpec() == null ? null : service.getSpec().getLabels();
            Optional<String> why = labels == null || !labels.containsKey(CLUSTER) ? Optional.empty()
                    : leftBecause(labels, () -> ended(docker, service, otherHosts));
            if (why.isPresent() && remove(() -> ServiceRemoval.remove(docker, service.getId(), ServiceRemoval.REAP_WAIT_MILLIS))) {
                removed.add("swarm service " + service.getSpec().getName() + " of " + labels.get(CLUSTER) + "/"
                        + labels.get(SERVICE) + ", " + why.get());
            } else if (service.getSpec() != null) {
                remaining.add(service.getSpec().getName() + "-tls");
            }
        }
        Instant before = Instant.now().minus(otherHosts.orElse(Duration.ZERO));
        for (Secret secret : docker.listSecretsCmd().withLabelFilter(filter).exec()) {
            Map<String, String> labels = secret.getSpec() == null ? null : secret.getSpec().getLabels();
            String name = labels == null ? "" : secret.getSpec().getName();
            Optional<String> why = labels == null || !labels.containsKey(CLUSTER) ? Optional.empty()
                    : leftBecause(labels, () -> otherHosts.isPresent() && secret.getCreatedAt() != null
                            && secret.getCreatedAt().toInstant().isBefore(before)
                            && !remaining.contains(name));
            if (why.isPresent() && remove(() -> docker.removeSecretCmd(secret.getId()).exec())) {
                removed.add("swarm secret " + name + " of " + labels.get(CLUSTER) + "/" + labels.get(SERVICE) + ", "
                        + why.get());
            }
        }
        List<String> configFilter = new ArrayList<>(List.of(HOST + "=" + EngineLabels.hostName()));
        cluster.ifPresent(name -> configFilter.add(CLUSTER + "=" + name));
        for (Config config : docker.listConfigsCmd().withFilters(Map.of("label", configFilter)).exec()) {
            String name = config.getSpec() == null ? null : config.getSpec().getName();
            if (name != null && !managerAlive(name) && remove(() -> docker.removeConfigCmd(config.getId()).exec())) {
                removed.add("swarm config " + name + " (code), left by a manager of this host that died");
            }
        }
        removed.forEach(line -> log.info("removed {}", line));
        return removed;
    }

    /** Why the thing these labels mark was left behind, or empty while its manager may still want it. */
    private static Optional<String> leftBecause(Map<String, String> labels, BooleanSupplier endedLongAgo) {
        String host = labels.getOrDefault(HOST, "");
        String manager = "left by manager pid " + labels.get(MANAGER_PID) + " on " + host;
        if (host.equals(EngineLabels.hostName())) {
            return EngineLabels.managerAlive(labels) ? Optional.empty() : Optional.of(manager + " that died");
        }
        return endedLongAgo.getAsBoolean() ? Optional.of(manager + ", ended long ago") : Optional.empty();
    }

    /** Whether every task of {@code service} ended more than {@code grace} ago (none left: the service itself is as old). */
    private static boolean ended(DockerClient docker, Service service, Optional<Duration> grace) {
        if (grace.isEmpty()) {
            return false;
        }
        Instant before = Instant.now().minus(grace.get());
        List<Task> tasks = docker.listTasksCmd().withServiceFilter(service.getId()).exec();
        if (tasks.isEmpty()) {
            return service.getUpdatedAt() != null && service.getUpdatedAt().toInstant().isBefore(before);
        }
        return tasks.stream().allMatch(task -> task.getStatus() != null && ENDED.contains(task.getStatus().getState())
                && task.getStatus().getTimestamp() != null
                && Instant.parse(task.getStatus().getTimestamp()).isBefore(before));
    }

    private static final Set<TaskState> ENDED = EnumSet.of(TaskState.COMPLETE, TaskState.SHUTDOWN, TaskState.FAILED,
            TaskState.REJECTED, TaskState.ORPHANED, TaskState.REMOVE);

    /** Removes one thing; false if it could not be (in use, gone meanwhile). */
    private static boolean remove(Runnable removal) {
        try {
            removal.run();
            return true;
        } catch (RuntimeException e) {
            log.debug("could not remove: {}", e.toString());
            return false;
        }
    }
}
