package io.servicescluster.core.container.kubernetes;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.servicescluster.core.config.ClassPath;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.ContainerEnvironment;
import io.servicescluster.core.container.ContainerException;
import io.servicescluster.core.container.ScratchFolder;
import io.servicescluster.core.container.support.RemoteRuntime;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the pod of one start is made of (docs/kubernetes.md): its labels and owner, the runtime
 * image's JVM running the remote runtime, which connects back to {@code control} over mutual TLS
 * with the start's own key (a Secret mounted read-only, deleted after the hello), the service's
 * resources as requests and limits, its permissions as a security context, and, for {@code
 * network: false}, a NetworkPolicy. What the pod cannot enforce is refused here (R15).
 * Stateless: each launch asks for fresh objects.
 */
final class PodRecipe {

    /** Where the start's credentials are mounted, and the file the remote reads ({@code SVC_TLS}). */
    static final String TLS_DIR = "/var/run/servicescluster/tls";
    static final String TLS_FILE = "credentials.pem";
    static final String POD_IP = "SVC_POD_IP";

    private final ServiceSpec spec;
    private final ContainerEnvironment environment;
    private final KubernetesOptions options;

    /** @param options the service's options, completed ({@link KubernetesSettings#complete}) */
    PodRecipe(ServiceSpec spec, ContainerEnvironment environment, KubernetesOptions options) {
        this.spec = spec;
        this.environment = environment;
        this.options = options;
    }

    /**
     * R15, fail closed: what a pod of this service cannot enforce, as the start's failure. Asked
     * before anything is made in the cluster.
     */
    void refuseUnenforceable() throws ContainerException {
        String name = "'" + spec.name() + "'";
        if (options.image().isEmpty()) {
            throw new ContainerException(name + " runs on kubernetes but no image is named: set kubernetes: {image: "
                    + "IMAGE} (an image with a JDK 21+ and the remote runtime, docs/kubernetes.md) or SVC_K8S_IMAGE");
        }
        if (options.advertise().isEmpty()) {
            throw new ContainerException(name + " runs on kubernetes but no address for its pods to connect back to "
                    + "is set: set kubernetes: {advertise: ADDRESS} (an address of this machine that the pods reach) "
                    + "or SVC_K8S_ADVERTISE");
        }
        if (spec.permissions().readPaths().isPresent() || !spec.permissions().writePaths().isEmpty()) {
            throw new ContainerException("the kubernetes container cannot enforce files.read/files.write for " + name
                    + ": a pod runs on another node and sees its image, not this machine's folders; remove the "
                    + "permission, or use the process or docker container");
        }
        if (spec.resources().pids().isPresent()) {
            throw new ContainerException("the kubernetes container cannot enforce pids for " + name
                    + ": a pod's process limit is the kubelet's podPidsLimit, one for every pod of a node; remove it");
        }
        if (spec.resources().diskBytes().isPresent() && options.hostWorkDir().orElse(false)) {
            throw new ContainerException("the kubernetes container cannot enforce disk for " + name + " with "
                    + "hostWorkDir: true: its work directory is then a folder of the node, which Kubernetes does not bound; "
                    + "remove the limit, or the option (an emptyDir of the pod is bounded)");
        }
        if (!spec.permissions().network()) {
            if (options.hostNetwork().orElse(false)) {
                throw new ContainerException("the kubernetes container cannot enforce 'network: false' for " + name
                        + " with hostNetwork: true: a pod on its node's network is not subject to NetworkPolicy; "
                        + "allow the network, or use a cluster with a pod network");
            }
            if (!options.networkPolicies().orElse(false)) {
                throw new ContainerException("the kubernetes container cannot enforce 'network: false' for " + name
                        + ": it needs a NetworkPolicy, which the API accepts on every cluster but only some pod "
                        + "networks enforce; if yours does, say so with kubernetes: {networkPolicies: true}");
            }
        }
    }

    /** The labels of one start's objects: the run's, the service's and the launch's. */
    Map<String, String> labels(RunOwner owner, String launch) {
        Map<String, String> labels = owner.labels();
        labels.put(RunOwner.SERVICE, spec.name());
        labels.put(RunOwner.LAUNCH, launch);
        return labels;
    }

    /** {@code svc-CLUSTER-SERVICE-LAUNCH8}: unique, and readable in {@code kubectl get pods}. */
    String podName(String launch) {
        return "svc-" + environment.clusterName() + "-" + spec.name() + "-" + launch;
    }

    /** The start's key, certificate and the CA, for the pod alone; owned by the run's owner. */
    Secret secret(RunOwner owner, String launch, String pem) {
        return owner.owned(new SecretBuilder().withNewMetadata().withName(podName(launch) + "-tls")
                .withNamespace(owner.namespace()).withLabels(labels(owner, launch)).endMetadata()
                .withType("Opaque")
                .withData(Map.of(TLS_FILE, Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII))))
                .build());
    }

    /** The pod of one start, connecting back to {@code controlEndpoint} ({@code tls:ADDRESS:PORT}). */
    Pod pod(RunOwner owner, String launch, String controlEndpoint, String secretName) {
        long uid = options.runAsUser().orElse(KubernetesSettings.DEFAULT_UID);
        Path workDir = environment.workDir();
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(podName(launch)).withNamespace(owner.namespace())
                .withLabels(labels(owner, launch)).endMetadata();
        pod.editMetadata().withOwnerReferences(owner.reference()).endMetadata();
        var podSpec = pod.withNewSpec()
                .withRestartPolicy("Never") // the manager decides restarts (R10: every start a new pod)
                .withAutomountServiceAccountToken(false) // a service has no business with the API
                .withEnableServiceLinks(false)
                .withTerminationGracePeriodSeconds(1L) // the manager closed it already: the rest is a kill
                .withHostNetwork(options.hostNetwork().orElse(false))
                .withDnsPolicy(options.hostNetwork().orElse(false) ? "ClusterFirstWithHostNet" : "ClusterFirst")
                .withNodeSelector(options.nodeSelector().isEmpty() ? null : new TreeMap<>(options.nodeSelector()))
                .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(uid).withRunAsGroup(uid)
                .withFsGroup(uid).endSecurityContext()
                .addNewVolume().withName("tls").withNewSecret().withSecretName(secretName).withDefaultMode(0440)
                .endSecret().endVolume()
                .addToVolumes(workVolume(workDir))
                .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewContainer().withName(PodOutcome.CONTAINER).withImage(options.image().orElseThrow())
                .withImagePullPolicy(options.pullPolicy().orElse("IfNotPresent"))
                .withCommand(command()).withEnv(env(controlEndpoint)).withWorkingDir(workDir.toString())
                .withNewSecurityContext().withReadOnlyRootFilesystem(true).withAllowPrivilegeEscalation(false)
                .withPrivileged(false).withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
                .withResources(resources())
                .addNewVolumeMount().withName("tls").withMountPath(TLS_DIR).withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("work").withMountPath(workDir.toString()).endVolumeMount()
                .addNewVolumeMount().withName("tmp").withMountPath(scratch().toString()).endVolumeMount()
                .endContainer();
        options.affinity().ifPresent(yaml -> podSpec.withAffinity(Serialization.unmarshal(yaml, Affinity.class)));
        return podSpec.endSpec().build();
    }

    /**
     * For {@code network: false}: the pod may reach the manager's control port and the pods of its
     * run (its dependencies' data planes), and be reached by the pods of its run alone.
     */
    NetworkPolicy networkPolicy(RunOwner owner, String launch, String advertise, int controlPort) {
        Map<String, String> run = owner.labels();
        return owner.owned(new NetworkPolicyBuilder().withNewMetadata().withName(podName(launch))
                .withNamespace(owner.namespace()).withLabels(labels(owner, launch)).endMetadata()
                .withNewSpec()
                .withNewPodSelector().withMatchLabels(Map.of(RunOwner.RUN, run.get(RunOwner.RUN), RunOwner.LAUNCH, launch))
                .endPodSelector()
                .withPolicyTypes("Ingress", "Egress")
                .addNewIngress().addNewFrom().withNewPodSelector().withMatchLabels(Map.of(RunOwner.RUN,
                        run.get(RunOwner.RUN))).endPodSelector().endFrom().endIngress()
                .addNewEgress().addNewTo().withNewIpBlock().withCidr(advertise + (advertise.contains(":") ? "/128" : "/32"))
                .endIpBlock().endTo().addNewPort().withProtocol("TCP").withNewPort(controlPort).endPort().endEgress()
                .addNewEgress().addNewTo().withNewPodSelector().withMatchLabels(Map.of(RunOwner.RUN,
                        run.get(RunOwner.RUN))).endPodSelector().endTo().endEgress()
                .endSpec().build());
    }

    /** The image's JVM with the runtime's flags, the service's JVM options and limits, the runtime's class path. */
    List<String> command() {
        List<String> flags = List.of(RemoteRuntime.SERIAL_GC, "-XX:-UsePerfData", "-XX:+ExitOnOutOfMemoryError");
        RemoteRuntime runtime = new RemoteRuntime(Path.of(options.java().orElse(KubernetesSettings.DEFAULT_JAVA)),
                List.of(runtimePath()), flags);
        List<String> options = new ArrayList<>();
        options.add(ScratchFolder.jvmOption(scratch())); // first, so that a jvm option of the service wins
        options.addAll(spec.jvm().forService(spec.resources()));
        return runtime.command(spec.name(), options);
    }

    private Path runtimePath() {
        return Path.of(options.runtime().orElse(KubernetesSettings.DEFAULT_RUNTIME));
    }

    /**
     * Where the pod's writable scratch space (an emptyDir) is mounted: {@code /tmp}, unless the
     * image must show something under it — the runtime or the service's class path, which the
     * image holds at the manager's paths, from a checkout under {@code /tmp} say — that the mount
     * would hide; then {@value #SCRATCH_BESIDE}. TMPDIR and {@code java.io.tmpdir} name it.
     */
    Path scratch() {
        Path tmp = Path.of("/tmp");
        boolean hides = runtimePath().toAbsolutePath().startsWith(tmp) || spec.code().classpath().stream()
                .map(ClassPath::visiblePath).anyMatch(p -> p.toAbsolutePath().normalize().startsWith(tmp));
        return hides ? Path.of(SCRATCH_BESIDE) : tmp;
    }

    /** The scratch space's mount point when {@code /tmp} must show the image's own files. */
    static final String SCRATCH_BESIDE = "/svc-tmp";

    private List<EnvVar> env(String controlEndpoint) {
        List<EnvVar> env = new ArrayList<>();
        // the service's env (never SVC_*), in name order: the same pod for the same spec
        new TreeMap<>(spec.env()).forEach((variable, value) -> env.add(new EnvVar(variable, value, null)));
        env.add(new EnvVar("SVC_CONTROL", controlEndpoint, null));
        env.add(new EnvVar("SVC_TLS", TLS_DIR + "/" + TLS_FILE, null));
        env.add(new EnvVar("SVC_WATCHDOG_MS", Long.toString(environment.watchdog().toMillis()), null));
        env.add(new EnvVar("TMPDIR", scratch().toString(), null));
        if (environment.servesData()) {
            // the pod's own address, known once scheduled: Kubernetes expands $(VAR) of an earlier variable
            env.add(new EnvVarBuilder().withName(POD_IP).withNewValueFrom().withNewFieldRef()
                    .withFieldPath("status.podIP").endFieldRef().endValueFrom().build());
            env.add(new EnvVar("SVC_DATA", "tls:$(" + POD_IP + "):0", null));
        }
        return env;
    }

    /** Memory and CPUs as equal requests and limits (what is asked is what is bounded), disk as ephemeral storage. */
    private io.fabric8.kubernetes.api.model.ResourceRequirements resources() {
        Map<String, Quantity> bounds = new LinkedHashMap<>();
        spec.resources().memoryBytes().ifPresent(bytes -> bounds.put("memory", new Quantity(Long.toString(bytes))));
        spec.resources().cpus().ifPresent(cpus -> bounds.put("cpu",
                new Quantity(BigDecimal.valueOf(cpus).stripTrailingZeros().toPlainString())));
        spec.resources().diskBytes().ifPresent(bytes -> bounds.put("ephemeral-storage", new Quantity(Long.toString(bytes))));
        return bounds.isEmpty() ? null : new ResourceRequirementsBuilder().withRequests(bounds).withLimits(bounds).build();
    }

    /** The work directory: the pod's own ({@code emptyDir}, bounded by {@code disk}), or the node's folder of that path. */
    private io.fabric8.kubernetes.api.model.Volume workVolume(Path workDir) {
        var volume = new io.fabric8.kubernetes.api.model.VolumeBuilder().withName("work");
        return options.hostWorkDir().orElse(false)
                ? volume.withNewHostPath().withPath(workDir.toString()).withType("DirectoryOrCreate").endHostPath().build()
                : volume.withNewEmptyDir().withSizeLimit(disk()).endEmptyDir().build();
    }

    private Quantity disk() {
        return spec.resources().diskBytes().stream().mapToObj(bytes -> new Quantity(Long.toString(bytes))).findFirst()
                .orElse(null);
    }
}
