package io.servicescluster.core.container.swarm;

import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.ContainerSpecConfig;
import com.github.dockerjava.api.model.ContainerSpecFile;
import com.github.dockerjava.api.model.ContainerSpecSecret;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.ResourceRequirements;
import com.github.dockerjava.api.model.ResourceSpecs;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServicePlacement;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.api.model.TmpfsOptions;
import com.github.dockerjava.api.model.VolumeOptions;
import io.servicescluster.core.config.Permissions;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.ContainerEnvironment;
import io.servicescluster.core.container.ContainerException;
import io.servicescluster.core.container.ScratchFolder;
import io.servicescluster.core.container.support.RemoteRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the swarm service of one start is made of (docs/multi-host.md): one replica, restart policy
 * {@code none} (the manager decides restarts), the node's network, a read-only root file system,
 * every capability dropped, the work directory a volume of the node, a fresh scratch tmpfs, the
 * start's TLS credentials a secret, the class path configs ({@link CodeConfigs}), limits and placement. Also what a swarm
 * cannot enforce, refused before anything is made ({@link #refuseUnenforceable}).
 */
final class TaskRecipe {

    /** Where the start's credentials appear in its container: a secret, in memory (tmpfs), read-only. */
    static final String CREDENTIALS = "/run/secrets/svc-tls";
    /** Where the remote serves its data plane: every address of its node, reported as the node's own ({@link SwarmContainer}). */
    static final String DATA = "tls:0.0.0.0:0";

    private final ServiceSpec spec;
    private final ContainerEnvironment environment;
    private final SwarmOptions options;

    TaskRecipe(ServiceSpec spec, ContainerEnvironment environment, SwarmOptions options) {
        this.spec = spec;
        this.environment = environment;
        this.options = options;
    }

    /**
     * R15, fail closed: what the cluster file asks and a swarm task cannot be held to.
     *
     * @throws ContainerException naming the permission or limit and what to do instead
     */
    static void refuseUnenforceable(ServiceSpec spec) throws ContainerException {
        Permissions permissions = spec.permissions();
        String why = null;
        if (!permissions.network()) {
            why = "'network: false': a swarm task reaches its manager and its dependencies over the network (mutual "
                    + "TLS), so it cannot run without one; use the process or docker container for such a service";
        } else if (permissions.readPaths().isPresent() || !permissions.writePaths().isEmpty()) {
            why = "'files.read'/'files.write': a swarm node shares no file system with the manager, so there is "
                    + "nothing of this host to grant; put what the service reads into its image or its settings, and "
                    + "what it writes into its work directory (a volume of its node)";
        } else if (spec.resources().diskBytes().isPresent()) {
            why = "'resources.disk': a swarm cannot bound a task's volume";
        } else if (spec.resources().pids().isPresent()) {
            why = "'resources.pids': the swarm API of docker-java 3.4.1 has no pids limit for tasks";
        }
        if (why != null) {
            throw new ContainerException("the swarm container cannot enforce " + why + " ('" + spec.name() + "')");
        }
    }

    /** {@code svc-CLUSTER-SERVICE-LAUNCH8}: unique, and readable in {@code docker service ls}. */
    String serviceName(String launch) {
        String name = "svc-" + clean(environment.clusterName()) + "-" + clean(spec.name());
        return (name.length() > 53 ? name.substring(0, 53) : name) + "-" + launch;
    }

    /**
     * The node-local volume of the service's work directory: kept between its starts on that node,
     * named after the work directory's path here (as the process container's folder, one per
     * cluster file and service).
     */
    String volumeName() {
        String name = "svc-" + clean(environment.clusterName()) + "-" + clean(spec.name());
        return (name.length() > 48 ? name.substring(0, 48) : name) + "-"
                + Integer.toHexString(environment.workDir().toAbsolutePath().toString().hashCode());
    }

    /** The swarm service of one start. */
    com.github.dockerjava.api.model.ServiceSpec serviceSpec(String launch, String controlEndpoint, String secretId,
            String secretName, List<ContainerSpecConfig> code, RemoteRuntime runtime, String hostNetwork) {
        Map<String, String> labels = SwarmLabels.of(environment.clusterName(), spec.name());
        Path workDir = environment.workDir();
        Path scratch = workDir.resolve(ScratchFolder.NAME);
        List<String> env = new ArrayList<>();
        new TreeMap<>(spec.env()).forEach((variable, value) -> env.add(variable + "=" + value));
        env.add("SVC_CONTROL=" + controlEndpoint);
        env.add("SVC_TLS=" + CREDENTIALS);
        env.add("SVC_WATCHDOG_MS=" + environment.watchdog().toMillis());
        if (environment.servesData()) {
            env.add("SVC_DATA=" + DATA);
        }
        env.add("TMPDIR=" + scratch);
        List<String> jvm = new ArrayList<>();
        jvm.add(ScratchFolder.jvmOption(scratch));
        jvm.addAll(spec.jvm().forService(spec.resources()));
        RemoteRuntime inImage = new RemoteRuntime(Path.of(options.java().orElseThrow()), runtime.classpath(),
                runtime.withoutClassData().jvmOptions());
        // every capability dropped (CapDrop ALL), as the docker kind does: a service needs none
        ContainerSpec container = new CappedContainerSpec(CappedContainerSpec.ALL)
                .withImage(options.image().orElseThrow())
                .withLabels(labels)
                .withCommand(inImage.command(spec.name(), jvm))
                .withEnv(env)
                .withDir(workDir.toString())
                .withReadOnly(true)
                .withInit(false)
                // removing the service ends its task at once: an orderly end goes through the control channel
                .withStopSignal("SIGKILL")
                .withMounts(List.of(
                        new Mount().withType(MountType.VOLUME).withSource(volumeName()).withTarget(workDir.toString())
                                .withVolumeOptions(new VolumeOptions().withLabels(labels)),
                        new Mount().withType(MountType.TMPFS).withTarget(scratch.toString())
                                .withTmpfsOptions(new TmpfsOptions().withMode(01777))))
                .withSecrets(List.of(new ContainerSpecSecret().withSecretId(secretId).withSecretName(secretName)
                        .withFile(new ContainerSpecFile().withName("svc-tls").withUid("0").withGid("0").withMode(0400L))))
                .withConfigs(code);
        ResourceSpecs limits = new ResourceSpecs();
        spec.resources().memoryBytes().ifPresent(limits::withMemoryBytes);
        spec.resources().cpus().ifPresent(cpus -> limits.withNanoCPUs(Math.round(cpus * 1e9)));
        TaskSpec task = new TaskSpec()
                .withContainerSpec(container)
                .withRestartPolicy(new ServiceRestartPolicy().withCondition(ServiceRestartCondition.NONE).withMaxAttempts(0L))
                .withResources(new ResourceRequirements().withLimits(limits))
                .withPlacement(new ServicePlacement().withConstraints(options.placement()))
                .withNetworks(List.of(new NetworkAttachmentConfig().withTarget(hostNetwork)));
        return new com.github.dockerjava.api.model.ServiceSpec()
                .withName(serviceName(launch))
                .withLabels(labels)
                .withTaskTemplate(task)
                .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(1)));
    }

    private static String clean(String name) {
        return name.replaceAll("[^a-zA-Z0-9-]", "-");
    }
}
