package io.servicescluster.core.container.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.servicescluster.core.container.support.ManagerIdentity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        ManagerIdentity manager = ManagerIdentity.current();
        labels.put(HOST, manager.host());
        labels.put(MANAGER_PID, Long.toString(manager.pid()));
        labels.put(MANAGER_START, manager.start());
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
                .withLabelFilter(Map.of(HOST, ManagerIdentity.hostName())).exec();
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
        return ManagerIdentity.isAlive(labels.get(MANAGER_PID), labels.getOrDefault(MANAGER_START, ""));
    }
}
