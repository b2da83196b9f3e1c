package io.servicescluster.core.container.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import io.servicescluster.core.container.support.EngineLabels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
     * exited when the control connection dropped, but the stopped containers stay until removed),
     * of {@code cluster} or of every cluster. Containers of managers on other hosts are left to
     * them: a live manager removes a container as soon as it ends, a dead one's ended within
     * seconds and stays harmlessly stopped (docs/docker.md).
     *
     * @return what was removed, one line each
     */
    static List<String> removeOrphans(DockerClient docker, Optional<String> cluster) {
        Map<String, String> filter = new HashMap<>(Map.of(HOST, EngineLabels.hostName()));
        cluster.ifPresent(name -> filter.put(CLUSTER, name));
        List<String> removed = new ArrayList<>();
        for (Container container : docker.listContainersCmd().withShowAll(true).withLabelFilter(filter).exec()) {
            Map<String, String> labels = container.getLabels();
            if (labels == null || EngineLabels.managerAlive(labels)) {
                continue;
            }
            try {
                docker.removeContainerCmd(container.getId()).withForce(true).exec();
                removed.add("container " + container.getId().substring(0, 12) + " of " + labels.get(CLUSTER) + "/"
                        + labels.get(SERVICE) + ", left by manager pid " + labels.get(MANAGER_PID) + " that died");
                log.info("removed {}", removed.getLast());
            } catch (NotFoundException gone) {
                // removed meanwhile (its manager's successor, another svc clean)
            } catch (RuntimeException e) {
                log.debug("could not remove container {}: {}", container.getId(), e.toString());
            }
        }
        return removed;
    }
}
