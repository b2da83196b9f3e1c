package io.servicescluster.core.container.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Service;
import io.servicescluster.core.container.support.EngineLabels;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
     * Removes the swarm services, secrets and configs that managers on this host left when they
     * died, or, with {@code cluster}, those of that cluster.
     *
     * @return how many services were removed
     */
    static int removeOrphans(DockerClient docker, Optional<String> cluster) {
        Map<String, String> filter = cluster.map(c -> Map.of(CLUSTER, c)).orElse(Map.of(HOST, EngineLabels.hostName()));
        int removed = 0;
        for (Service service : docker.listServicesCmd().withLabelFilter(filter).exec()) {
            Map<String, String> labels = service.getSpec() == null ? null : service.getSpec().getLabels();
            if (labels == null || EngineLabels.managerAlive(labels)) {
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
                .filter(s -> s.getSpec() != null && s.getSpec().getLabels() != null
                        && !EngineLabels.managerAlive(s.getSpec().getLabels()))
                .forEach(s -> quietly(() -> docker.removeSecretCmd(s.getId()).exec()));
        docker.listConfigsCmd().withFilters(Map.of("label", List.of(HOST + "=" + EngineLabels.hostName()))).exec().stream()
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
}
