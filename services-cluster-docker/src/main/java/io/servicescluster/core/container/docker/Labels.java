package io.servicescluster.core.container.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.servicescluster.core.container.support.EngineLabels;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The labels on every container this kind makes ({@link EngineLabels}, shared with the swarm
 * kind), and the clean-up of containers whose manager died.
 */
final class Labels {

    static final String CLUSTER = EngineLabels.CLUSTER;
    static final String SERVICE = EngineLabels.SERVICE;
    static final String HOST = EngineLabels.HOST;
    static final String MANAGER_PID = EngineLabels.MANAGER_PID;
    static final String MANAGER_START = EngineLabels.MANAGER_START;

    private static final Logger log = LoggerFactory.getLogger(Labels.class);

    private Labels() {
    }

    /** The labels of a container of {@code service} in {@code cluster}, made by this manager. */
    static Map<String, String> of(String cluster, String service) {
        return EngineLabels.of(cluster, service);
    }

    /**
     * Removes the containers that managers on this host left when they died (R11: their remotes
     * exited when the control connection dropped, but the stopped containers stay until removed).
     *
     * @return how many were removed
     */
    static int removeOrphans(DockerClient docker) {
        List<Container> ours = docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(HOST, EngineLabels.hostName())).exec();
        int removed = 0;
        for (Container container : ours) {
            Map<String, String> labels = container.getLabels();
            if (labels == null || EngineLabels.managerAlive(labels)) {
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
}
