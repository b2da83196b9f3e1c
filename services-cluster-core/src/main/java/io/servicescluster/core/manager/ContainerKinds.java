package io.servicescluster.core.manager;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.ContainerFactory;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** The container kinds a manager can make: those registered with its builder, then those on the class path. */
final class ContainerKinds {

    private ContainerKinds() {
    }

    /**
     * Adds the container kinds found on the class path with {@link ServiceLoader} (a kind's
     * module, such as services-cluster-process — the default kind — or services-cluster-docker,
     * lists its {@link ContainerFactory} in {@code META-INF/services}) to {@code factories}; a
     * kind already there wins. A kind that cannot be loaded is added to {@code problems}.
     */
    static void loadFromClassPath(Map<String, ContainerFactory> factories, List<String> problems) {
        try {
            for (ContainerFactory factory : ServiceLoader.load(ContainerFactory.class)) {
                factories.putIfAbsent(factory.kind(), factory);
            }
        } catch (ServiceConfigurationError e) {
            problems.add("a container kind on the class path cannot be loaded: " + e.getMessage());
        }
    }

    /** Adds to {@code problems} each service of {@code spec} whose container kind is not in {@code factories}. */
    static void checkAvailable(ClusterSpec spec, Map<String, ContainerFactory> factories, List<String> problems) {
        for (ServiceSpec service : spec.services()) {
            if (!factories.containsKey(service.container())) {
                problems.add("service '" + service.name() + "' uses container '" + service.container()
                        + "', which is not available here (available: " + (factories.isEmpty()
                                ? "none; a kind comes with its module, such as services-cluster-process"
                                : String.join(", ", factories.keySet())) + ")");
            }
        }
    }
}
