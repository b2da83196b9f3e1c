package io.servicescluster.core.container.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.servicescluster.core.container.ContainerException;
import io.servicescluster.core.container.support.ManagerIdentity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one object that owns everything a cluster run made in one namespace: a ConfigMap
 * ({@code svc-CLUSTER-run-RUN}) that every pod, secret and network policy of the run names in its
 * {@code ownerReferences}, so that deleting it deletes them all (Kubernetes' garbage collector).
 * Made with the run's first container in the namespace and deleted with its last; its
 * annotations say which manager made it, so that the next run on that host deletes the owner of a
 * manager that died ({@link #removeOrphans}), as does {@code svc clean}. Thread-safe.
 */
final class RunOwner {

    static final String PREFIX = "servicescluster.io/";
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String MANAGER = "services-cluster";
    static final String CLUSTER = PREFIX + "cluster";
    static final String RUN = PREFIX + "run";
    static final String SERVICE = PREFIX + "service";
    static final String LAUNCH = PREFIX + "launch";
    static final String ROLE = PREFIX + "role";
    static final String HOST = PREFIX + "manager-host";
    static final String MANAGER_PID = PREFIX + "manager-pid";
    static final String MANAGER_START = PREFIX + "manager-start";

    private static final Logger log = LoggerFactory.getLogger(RunOwner.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String cluster;
    private final String run;
    private ConfigMap made;
    private int users;

    RunOwner(KubernetesClient client, String namespace, String cluster, String run) {
        this.client = client;
        this.namespace = namespace;
        this.cluster = cluster;
        this.run = run;
    }

    String namespace() {
        return namespace;
    }

    KubernetesClient client() {
        return client;
    }

    /** The labels every object of this run carries. */
    Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_BY, MANAGER);
        labels.put(CLUSTER, cluster);
        labels.put(RUN, run);
        return labels;
    }

    /** The owner's name: {@code svc-CLUSTER-run-RUN}. */
    String name() {
        return "svc-" + cluster + "-run-" + run;
    }

    /** One more container of the run uses the owner; made in the cluster if it is the first. */
    synchronized void acquire() throws ContainerException {
        if (made == null) {
            ManagerIdentity manager = ManagerIdentity.current();
            Map<String, String> labels = labels();
            labels.put(ROLE, "owner");
            ConfigMap owner = new ConfigMapBuilder().withNewMetadata().withName(name()).withNamespace(namespace)
                    .withLabels(labels).withAnnotations(Map.of(HOST, manager.host(), MANAGER_PID,
                            Long.toString(manager.pid()), MANAGER_START, manager.start())).endMetadata()
                    .withData(Map.of("cluster", cluster, "about", "deleting this object deletes every pod of the run "
                            + "(docs/kubernetes.md)"))
                    .build();
            try {
                made = client.configMaps().inNamespace(namespace).resource(owner).create();
            } catch (KubernetesClientException e) {
                throw new ContainerException("cannot make the owner object " + namespace + "/" + name()
                        + " of cluster '" + cluster + "': " + Api.describe(e), e);
            }
        }
        users++;
    }

    /** A reference to the owner, for the {@code ownerReferences} of an object of the run. */
    synchronized OwnerReference reference() {
        if (made == null) {
            throw new IllegalStateException("the owner of run " + run + " is not made");
        }
        return new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap").withName(made.getMetadata()
                .getName()).withUid(made.getMetadata().getUid()).withBlockOwnerDeletion(false).withController(false)
                .build();
    }

    /** {@code object} with the owner as its owner: deleted with it. */
    <T extends HasMetadata> T owned(T object) {
        object.getMetadata().setOwnerReferences(List.of(reference()));
        return object;
    }

    /** One container fewer; with the last, the owner is deleted, and everything it owns goes with it. */
    synchronized void release() {
        if (--users > 0 || made == null) {
            return;
        }
        try {
            client.configMaps().inNamespace(namespace).withName(made.getMetadata().getName())
                    .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        } catch (KubernetesClientException e) {
            log.warn("cannot delete the owner object {}/{}: {}", namespace, name(), Api.describe(e));
        }
        made = null;
    }

    /**
     * Deletes the owners that managers on this host left when they died (R11: their pods ended
     * when the control connection dropped, but finished pods and their objects stay until then),
     * of {@code cluster} or of every cluster; the garbage collector deletes what they own. An
     * owner of another host cannot be judged (its manager may well run, between two starts of a
     * service): it is kept; with {@code otherHosts}, its pods that ended more than that long ago
     * are deleted (a live manager deletes a pod as soon as its end is known), with their secrets.
     *
     * @return what was deleted, one line each
     */
    static List<String> removeOrphans(KubernetesClient client, String namespace, Optional<String> cluster,
            Optional<Duration> otherHosts) {
        String host = ManagerIdentity.hostName();
        var query = client.configMaps().inNamespace(namespace).withLabel(MANAGED_BY, MANAGER).withLabel(ROLE, "owner");
        List<ConfigMap> owners = (cluster.isPresent() ? query.withLabel(CLUSTER, cluster.get()) : query).list().getItems();
        List<String> removed = new ArrayList<>();
        for (ConfigMap owner : owners) {
            Map<String, String> notes = owner.getMetadata().getAnnotations();
            if (notes == null) {
                continue;
            }
            String name = owner.getMetadata().getName();
            String left = "left by manager pid " + notes.get(MANAGER_PID) + " on " + notes.get(HOST);
            if (!host.equals(notes.get(HOST))) {
                otherHosts.ifPresent(grace -> removed.addAll(endedPods(client, owner, grace, left)));
                continue;
            }
            if (ManagerIdentity.isAlive(notes.get(MANAGER_PID), notes.get(MANAGER_START))) {
                continue;
            }
            try {
                client.configMaps().inNamespace(namespace).withName(name)
                        .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
                removed.add("owner configmap " + namespace + "/" + name + " and its pods, " + left + " that died");
            } catch (KubernetesClientException e) {
                log.debug("could not delete {}: {}", name, e.toString());
            }
        }
        removed.forEach(line -> log.info("deleted {}", line));
        return removed;
    }

    /** The pods of {@code owner}'s run that ended more than {@code grace} ago, deleted with their secrets. */
    private static List<String> endedPods(KubernetesClient client, ConfigMap owner, Duration grace, String left) {
        String namespace = owner.getMetadata().getNamespace();
        Instant before = Instant.now().minus(grace);
        List<String> removed = new ArrayList<>();
        for (Pod pod : client.pods().inNamespace(namespace).withLabel(RUN, owner.getMetadata().getLabels().get(RUN))
                .list().getItems()) {
            Optional<Instant> ended = PodOutcome.endedAt(pod);
            if (ended.isEmpty() || !ended.get().isBefore(before)) {
                continue;
            }
            String name = pod.getMetadata().getName();
            try {
                client.pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete();
                client.secrets().inNamespace(namespace).withName(name + "-tls").delete();
                removed.add("ended pod " + namespace + "/" + name + ", " + left);
            } catch (KubernetesClientException e) {
                log.debug("could not delete {}: {}", name, e.toString());
            }
        }
        return removed;
    }
}
