package io.servicescluster.core.container.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.servicescluster.core.container.ContainerException;
import io.servicescluster.core.container.support.ManagerIdentity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one object that owns everything a cluster run made in one namespace: a ConfigMap
 * ({@code svc-CLUSTER-run-RUN}) that every pod, secret and network policy of the run names in its
 * {@code ownerReferences}, so that deleting it deletes them all (Kubernetes' garbage collector).
 * Made with the run's first container in the namespace and deleted with its last; its
 * annotations say which manager made it, so that the next run on that host deletes the owner of a
 * manager that died ({@link #removeOrphans}). Thread-safe.
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
     * when the control connection dropped, but finished pods and their objects stay until then);
     * the garbage collector deletes what they own.
     *
     * @return the names of the owners deleted
     */
    static List<String> removeOrphans(KubernetesClient client, String namespace) {
        String host = ManagerIdentity.hostName();
        List<ConfigMap> owners = client.configMaps().inNamespace(namespace).withLabel(MANAGED_BY, MANAGER)
                .withLabel(ROLE, "owner").list().getItems();
        List<String> removed = new java.util.ArrayList<>();
        for (ConfigMap owner : owners) {
            Map<String, String> notes = owner.getMetadata().getAnnotations();
            if (notes == null || !host.equals(notes.get(HOST))
                    || ManagerIdentity.isAlive(notes.get(MANAGER_PID), notes.get(MANAGER_START))) {
                continue;
            }
            try {
                client.configMaps().inNamespace(namespace).withName(owner.getMetadata().getName())
                        .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
                removed.add(owner.getMetadata().getName());
                log.info("deleted {}/{} and its pods, left by manager pid {} that died", namespace,
                        owner.getMetadata().getName(), notes.get(MANAGER_PID));
            } catch (KubernetesClientException e) {
                log.debug("could not delete {}: {}", owner.getMetadata().getName(), e.toString());
            }
        }
        return removed;
    }
}
