package io.servicescluster.core.container.swarm;

import com.github.dockerjava.api.model.Network;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.CleanReport;
import io.servicescluster.core.container.CleanScope;
import io.servicescluster.core.container.ContainerEnvironment;
import io.servicescluster.core.container.ContainerException;
import io.servicescluster.core.container.ContainerFactory;
import io.servicescluster.core.container.ServiceContainer;
import io.servicescluster.core.container.support.RemoteRuntime;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes {@code swarm} containers (docs/multi-host.md). Found by {@link java.util.ServiceLoader} when
 * this module is on the class path; the no-argument constructor reads {@link SwarmSettings#fromEnvironment()}
 * and connects to an engine only when a service of that engine is first created.
 */
public final class SwarmContainerFactory implements ContainerFactory {

    private static final Logger log = LoggerFactory.getLogger(SwarmContainerFactory.class);

    private final SwarmSettings settings;
    private final Map<SwarmEngine.Address, SwarmEngine> engines = new ConcurrentHashMap<>();
    private final Map<String, CodeConfigs> configs = new ConcurrentHashMap<>();
    private final Map<String, String> hostNetworks = new ConcurrentHashMap<>();
    private final Set<String> cleaned = ConcurrentHashMap.newKeySet();
    private volatile RemoteRuntime runtime;

    /** The factory {@link java.util.ServiceLoader} makes: settings from the environment. */
    public SwarmContainerFactory() {
        this(SwarmSettings.fromEnvironment());
    }

    public SwarmContainerFactory(SwarmSettings settings) {
        this.settings = settings;
    }

    @Override
    public String kind() {
        return SwarmKind.NAME;
    }

    public SwarmSettings settings() {
        return settings;
    }

    @Override
    public ServiceContainer newContainer(ServiceSpec service, ContainerEnvironment environment) {
        return new SwarmContainer(service, environment, this);
    }

    /** The engine at {@code endpoint}, reached with {@code tls} (a {@code tcp://} engine), one client each. */
    SwarmEngine engine(String endpoint, Optional<SwarmTls> tls) {
        return engines.computeIfAbsent(new SwarmEngine.Address(endpoint, tls), SwarmEngine::new);
    }

    /** The remote runtime's class path (shipped as configs) and flags; its {@code java} is the image's. */
    RemoteRuntime runtime() {
        RemoteRuntime known = runtime;
        if (known == null) {
            known = RemoteRuntime.detect();
            runtime = known;
        }
        return known;
    }

    /** The code configs this manager made on {@code engine} for {@code cluster}. */
    CodeConfigs codeConfigs(SwarmEngine engine, String cluster) throws ContainerException {
        String key = engine.endpoint() + " " + cluster;
        CodeConfigs known = configs.get(key);
        if (known == null) {
            engine.client();
            known = configs.computeIfAbsent(key, e -> new CodeConfigs(clientOf(engine), SwarmLabels.managerId(),
                    SwarmLabels.of(cluster, "")));
        }
        return known;
    }

    /** The id of the swarm's {@code host} network: tasks on their node's own network, as the CLI's {@code --network host}. */
    String hostNetwork(SwarmEngine engine) throws ContainerException {
        String known = hostNetworks.get(engine.endpoint());
        if (known != null) {
            return known;
        }
        List<Network> networks = engine.client().listNetworksCmd().withNameFilter("host").exec();
        String id = networks.stream().filter(n -> "host".equals(n.getName())).map(Network::getId).findFirst()
                .orElseThrow(() -> new ContainerException("the swarm engine at " + engine.endpoint()
                        + " has no 'host' network"));
        hostNetworks.put(engine.endpoint(), id);
        return id;
    }

    /** Once per engine, before its first service: removes what managers of this host that died left there. */
    void removeOrphansOnce(SwarmEngine engine) throws ContainerException {
        if (cleaned.add(engine.endpoint())) {
            int removed = SwarmLabels.removeOrphans(engine.client(), Optional.empty(), Optional.empty()).size();
            if (removed > 0) {
                log.info("removed {} swarm object(s) left by managers that died", removed);
            }
        }
    }

    /**
     * {@code svc clean}: on each engine that the cluster's swarm services name ({@code swarm:
     * engine}, completed as a start completes it) and on the manager-wide default, what dead
     * managers left ({@link SwarmLabels#removeOrphans}, another host's after the scope's grace).
     * An engine that does not answer, or is no swarm manager, is a failure when a service names it
     * or {@code SVC_SWARM_ENGINE} does; the implicit default is then simply no swarm to clean.
     */
    @Override
    public void clean(CleanScope scope, CleanReport report) {
        Set<SwarmEngine.Address> required = new LinkedHashSet<>();
        for (ServiceSpec service : scope.servicesOf(kind())) {
            SwarmOptions options = settings.complete(service.options(SwarmOptions.class).orElse(SwarmOptions.DEFAULT));
            required.add(new SwarmEngine.Address(options.engine().orElseThrow(), options.tls()));
        }
        SwarmEngine.Address fallback = new SwarmEngine.Address(settings.engine(), Optional.empty());
        if (SwarmSettings.explicitEngine().isPresent()) {
            required.add(fallback);
        }
        Set<SwarmEngine.Address> addresses = new LinkedHashSet<>(required);
        addresses.add(fallback);
        for (SwarmEngine.Address address : addresses) {
            String endpoint = address.endpoint();
            try (SwarmEngine engine = new SwarmEngine(address)) {
                SwarmLabels.removeOrphans(engine.client(), scope.cluster(), Optional.of(scope.grace()))
                        .forEach(what -> report.removed(endpoint, what));
            } catch (ContainerException e) {
                if (required.contains(address)) {
                    report.failed(endpoint, e.getMessage());
                }
            } catch (RuntimeException e) {
                report.failed(endpoint, "cannot clean up: " + SwarmEngine.describe(e));
            }
        }
    }

    private static com.github.dockerjava.api.DockerClient clientOf(SwarmEngine engine) {
        try {
            return engine.client();
        } catch (ContainerException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
