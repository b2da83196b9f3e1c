package io.servicescluster.core.container.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.CleanReport;
import io.servicescluster.core.container.CleanScope;
import io.servicescluster.core.container.ContainerEnvironment;
import io.servicescluster.core.container.ContainerException;
import io.servicescluster.core.container.ContainerFactory;
import io.servicescluster.core.container.ServiceContainer;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes {@code kubernetes} containers: each start of a service in a fresh pod (docs/kubernetes.md).
 * Found by {@link java.util.ServiceLoader} when this module is on the class path; talks to a
 * cluster only when a container is first created, with the kubeconfig as {@code kubectl} reads
 * it ({@code KUBECONFIG}, else {@code ~/.kube/config}; the current context unless a service names
 * one). One run id per factory, so per manager: the {@link RunOwner} of each namespace it uses.
 */
public final class KubernetesContainerFactory implements ContainerFactory {

    private static final Logger log = LoggerFactory.getLogger(KubernetesContainerFactory.class);

    private final Function<Optional<String>, KubernetesClient> connect;
    private final Map<Optional<String>, KubernetesClient> clients = new ConcurrentHashMap<>();
    private final Map<String, RunOwner> owners = new ConcurrentHashMap<>();
    private final String run;
    private final PidLookup pids;

    /**
     * Where a pod's remote is a process of this machine, its pid here. A pod of a real node runs
     * in a pid namespace of its own, elsewhere: none ({@link #NO_PIDS}). Tests whose pods are
     * processes of the manager's host say how to find them.
     */
    @FunctionalInterface
    interface PidLookup {
        java.util.OptionalLong pidOf(String namespace, String pod, long pidInPod);
    }

    static final PidLookup NO_PIDS = (namespace, pod, pidInPod) -> java.util.OptionalLong.empty();

    /** The factory {@link java.util.ServiceLoader} makes: clients from the kubeconfig. */
    public KubernetesContainerFactory() {
        this(context -> new KubernetesClientBuilder().withConfig(Config.autoConfigure(context.orElse(null))).build());
    }

    /** A factory whose clients, by kubeconfig context (empty: the current one), come from {@code connect}. */
    public KubernetesContainerFactory(Function<Optional<String>, KubernetesClient> connect) {
        this(connect, NO_PIDS);
    }

    KubernetesContainerFactory(Function<Optional<String>, KubernetesClient> connect, PidLookup pids) {
        this.connect = connect;
        this.pids = pids;
        byte[] bytes = new byte[4];
        new SecureRandom().nextBytes(bytes);
        this.run = HexFormat.of().formatHex(bytes);
    }

    @Override
    public String kind() {
        return KubernetesKind.NAME;
    }

    /** This manager's run id, on every object it makes ({@code servicescluster.io/run}). */
    public String run() {
        return run;
    }

    PidLookup pids() {
        return pids;
    }

    @Override
    public ServiceContainer newContainer(ServiceSpec service, ContainerEnvironment environment) {
        return new KubernetesContainer(service, environment, this);
    }

    /**
     * The owner of this run's objects of {@code cluster} in the options' namespace; the first time a
     * namespace is used, the owners that dead managers of this host left there are deleted first.
     */
    RunOwner owner(KubernetesOptions options, String cluster) throws ContainerException {
        KubernetesClient client = client(options.context());
        String namespace = namespace(options.namespace(), client);
        String key = options.context().orElse("") + "/" + namespace + "/" + cluster;
        RunOwner known = owners.get(key);
        if (known != null) {
            return known;
        }
        synchronized (owners) {
            known = owners.get(key);
            if (known == null) {
                try {
                    List<String> removed = RunOwner.removeOrphans(client, namespace, Optional.empty(), Optional.empty());
                    if (!removed.isEmpty()) {
                        log.info("removed {} run(s) left in namespace {} by managers that died", removed.size(), namespace);
                    }
                } catch (KubernetesClientException e) {
                    throw new ContainerException("cannot use namespace '" + namespace + "' of Kubernetes: "
                            + Api.describe(e), e);
                }
                known = new RunOwner(client, namespace, cluster, run);
                owners.put(key, known);
            }
            return known;
        }
    }

    /** The client of kubeconfig context {@code context} (empty: the current one), made once. */
    private KubernetesClient client(Optional<String> context) throws ContainerException {
        try {
            return clients.computeIfAbsent(context, connect);
        } catch (KubernetesClientException | IllegalArgumentException e) {
            throw new ContainerException("cannot reach Kubernetes " + where(context) + ": " + e.getMessage(), e);
        }
    }

    private static String where(Optional<String> context) {
        return context.map(c -> "(context '" + c + "')").orElse("(the kubeconfig's current context)");
    }

    /** {@code namespace}, else the context's, else {@code default}. */
    private static String namespace(Optional<String> namespace, KubernetesClient client) {
        return namespace.orElseGet(() -> Optional.ofNullable(client.getNamespace()).orElse("default"));
    }

    /**
     * {@code svc clean}: in each context and namespace that the cluster's kubernetes services use
     * (their {@code kubernetes:} key, completed as a start completes it) and in the manager-wide
     * default's, the owners that dead managers of this host left (the garbage collector takes
     * their pods and secrets), and another host's pods that ended longer ago than the grace. A
     * context that cannot be reached is a failure when a service uses it or the environment names
     * one ({@code KUBECONFIG}, {@code SVC_K8S_CONTEXT}, {@code SVC_K8S_NAMESPACE}); without any
     * kubeconfig the default is not tried.
     */
    @Override
    public void clean(CleanScope scope, CleanReport report) {
        Map<Place, Boolean> places = new java.util.LinkedHashMap<>();
        for (ServiceSpec service : scope.servicesOf(kind())) {
            KubernetesOptions options = KubernetesSettings.complete(service.options(KubernetesOptions.class)
                    .orElse(KubernetesOptions.DEFAULT));
            places.put(new Place(options.context(), options.namespace()), true);
        }
        KubernetesOptions defaults = KubernetesSettings.complete(KubernetesOptions.DEFAULT);
        boolean named = System.getenv("KUBECONFIG") != null || defaults.context().isPresent()
                || defaults.namespace().isPresent();
        if (named || KubernetesSettings.kubeconfigExists()) {
            places.putIfAbsent(new Place(defaults.context(), defaults.namespace()), named);
        }
        java.util.Set<String> done = new java.util.HashSet<>();
        places.forEach((place, required) -> {
            String engine = "kubernetes " + where(place.context());
            try {
                KubernetesClient client = client(place.context());
                String namespace = namespace(place.namespace(), client);
                engine = "kubernetes " + place.context().map(c -> c + "/").orElse("") + namespace;
                if (done.add(engine)) {
                    clean(client, namespace, scope, engine, required, report);
                }
            } catch (ContainerException e) {
                if (required) {
                    report.failed(engine, e.getMessage());
                }
            }
        });
    }

    private static void clean(KubernetesClient client, String namespace, CleanScope scope, String engine,
            boolean required, CleanReport report) {
        try {
            for (String what : RunOwner.removeOrphans(client, namespace, scope.cluster(), Optional.of(scope.grace()))) {
                report.removed(engine, what);
            }
        } catch (KubernetesClientException e) {
            if (required) {
                report.failed(engine, "cannot clean namespace '" + namespace + "' of the API server at "
                        + client.getMasterUrl() + ": " + Api.describe(e));
            }
        }
    }

    /** A kubeconfig context and namespace that services use; empty: the defaults. */
    private record Place(Optional<String> context, Optional<String> namespace) {
    }
}
