package io.servicescluster.core.container.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.servicescluster.core.config.ServiceSpec;
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
        KubernetesClient client;
        try {
            client = clients.computeIfAbsent(options.context(), connect);
        } catch (KubernetesClientException | IllegalArgumentException e) {
            throw new ContainerException("cannot reach Kubernetes" + options.context().map(c -> " (context '" + c + "')")
                    .orElse(" (the kubeconfig's current context)") + ": " + e.getMessage(), e);
        }
        String namespace = options.namespace().orElseGet(() -> Optional.ofNullable(client.getNamespace())
                .orElse("default"));
        String key = options.context().orElse("") + "/" + namespace + "/" + cluster;
        RunOwner known = owners.get(key);
        if (known != null) {
            return known;
        }
        synchronized (owners) {
            known = owners.get(key);
            if (known == null) {
                try {
                    List<String> removed = RunOwner.removeOrphans(client, namespace);
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
}
