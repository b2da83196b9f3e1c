package io.servicescluster.core.manager;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.ContainerEnvironment;
import io.servicescluster.core.container.ContainerFactory;
import io.servicescluster.core.container.ServiceContainer;
import io.servicescluster.core.graph.DependencyGraph;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Makes a manager's nodes: per service a container of its kind, with the environment the manager
 * gives it (the run folder, the work directory {@code work/NAME} in the state folder, output to
 * the listeners, the watchdog, whether it serves data), each node linked to its dependencies and
 * dependents; and, as the loop's {@link DecisionLoop.NodeMaker}, the nodes of children spawned at
 * run time (R8). Making a container starts nothing: that waits for {@link ServicesManager#start}.
 */
final class NodeWiring implements DecisionLoop.NodeMaker {

    private final ClusterSpec spec;
    private final Map<String, ContainerFactory> factories;
    private final Path stateDir;
    private final Path runDir;
    private final Duration watchdog;
    private final ListenerDispatch listeners;

    /**
     * @param factories the container kinds, each of which the services use must be here
     * @param watchdog how long a remote may hear nothing from its manager before it ends itself
     * @param listeners where the containers' output lines go
     */
    NodeWiring(ClusterSpec spec, Map<String, ContainerFactory> factories, Path stateDir, Path runDir,
            Duration watchdog, ListenerDispatch listeners) {
        this.spec = spec;
        this.factories = Map.copyOf(factories);
        this.stateDir = stateDir;
        this.runDir = runDir;
        this.watchdog = watchdog;
        this.listeners = listeners;
    }

    /** A node per declared service, in {@code graph}'s topological order, linked to its dependencies and dependents. */
    List<ServiceNode> nodes(DependencyGraph graph) {
        Set<String> withDependents = new HashSet<>();
        spec.services().forEach(s -> withDependents.addAll(s.dependsOn()));
        Map<String, ServiceNode> byName = new LinkedHashMap<>();
        for (String name : graph.topologicalOrder()) {
            ServiceSpec service = spec.service(name).orElseThrow();
            boolean servesData = withDependents.contains(name) || service.permissions().spawn();
            byName.put(name, new ServiceNode(service, container(service, Optional.empty(), servesData), workDir(name)));
        }
        for (ServiceNode node : byName.values()) {
            for (String dependency : node.spec.dependsOn()) {
                ServiceNode target = byName.get(dependency);
                node.dependencies.add(target);
                target.dependents.add(node);
            }
        }
        return List.copyOf(byName.values());
    }

    /** A child (R8): same container kind as its parent, its own work directory, the parent's container at hand. */
    @Override
    public ServiceNode make(ServiceSpec service, ServiceNode parent, int parentGeneration) {
        return new ServiceNode(service, container(service, Optional.of(parent.container), true), workDir(service.name()),
                parent, parentGeneration);
    }

    private ServiceContainer container(ServiceSpec service, Optional<ServiceContainer> parent, boolean servesData) {
        String name = service.name();
        // a child's own name is never a declared one: it gets every declared service's paths, its
        // parent's included, which it declares too (a child has its parent's permissions)
        List<Path> otherWritePaths = spec.services().stream().filter(s -> !s.name().equals(name))
                .flatMap(s -> s.permissions().writePaths().stream()).distinct().toList();
        ContainerEnvironment environment = new ContainerEnvironment(spec.name(), runDir, workDir(name),
                (stream, line) -> listeners.output(name, stream, line), watchdog, parent, servesData, spec.sourceFile(),
                otherWritePaths);
        return factories.get(service.container()).newContainer(service, environment);
    }

    private Path workDir(String service) {
        return stateDir.resolve("work").resolve(service);
    }
}
