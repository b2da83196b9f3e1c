package io.servicescluster.core.container.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.servicescluster.core.container.support.RemoteRuntime;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * A stand-in for a node's kubelet and the scheduler, for fabric8's mock API server (which stores
 * objects and serves watches, but runs nothing): it watches the pods of a namespace and runs each
 * one's command as a local process, with the pod's environment (its {@code status.podIP}
 * 127.0.0.1) and its secret volume as a file, and writes back the states a kubelet would:
 * {@code Running}, then {@code Terminated} with the exit code (or {@code OOMKilled}). A pod whose
 * image is not among {@link #IMAGE} gets {@code ErrImageNeverPull}; one whose nodeSelector does
 * not match this node's labels stays {@code Unschedulable}. The image's java and runtime class
 * path become this JVM's own.
 */
final class LocalKubelet implements Watcher<Pod>, AutoCloseable {

    /** The one image present on this "node". */
    static final String IMAGE = "local/svc-runtime:test";
    static final Map<String, String> NODE_LABELS = Map.of("kubernetes.io/hostname", "local-node");

    private final KubernetesClient client;
    private final String namespace;
    private final Path secrets;
    private final Map<String, Process> processes = new ConcurrentHashMap<>();
    private final Map<String, String> services = new ConcurrentHashMap<>();
    private final Set<String> oomKilled = ConcurrentHashMap.newKeySet();
    private final Watch watch;

    LocalKubelet(KubernetesClient client, String namespace, Path secrets) {
        this.client = client;
        this.namespace = namespace;
        this.secrets = secrets;
        this.watch = client.pods().inNamespace(namespace).watch(this);
    }

    @Override
    public void eventReceived(Action action, Pod pod) {
        String name = pod.getMetadata().getName();
        if (action == Action.ADDED) {
            Thread.ofVirtual().name("kubelet-" + name).start(() -> run(pod));
        } else if (action == Action.DELETED) {
            Process process = processes.remove(name);
            if (process != null) {
                process.destroyForcibly();
            }
        }
    }

    @Override
    public void onClose(WatcherException cause) {
    }

    /** The live processes of pods of those services. */
    List<Long> live(String... names) {
        Set<String> wanted = Set.of(names);
        List<Long> pids = new ArrayList<>();
        processes.forEach((pod, process) -> {
            if (process.isAlive() && wanted.contains(services.get(pod))) {
                pids.add(process.pid());
            }
        });
        return pids;
    }

    /** Kills the process of pod {@code name} as the kernel does at its memory limit: reported {@code OOMKilled}. */
    void oomKill(String name) {
        oomKilled.add(name);
        Process process = processes.get(name);
        if (process != null) {
            process.destroyForcibly();
        }
    }

    private void run(Pod pod) {
        String name = pod.getMetadata().getName();
        Container container = pod.getSpec().getContainers().get(0);
        Map<String, String> selector = pod.getSpec().getNodeSelector() == null ? Map.of() : pod.getSpec().getNodeSelector();
        if (!NODE_LABELS.entrySet().containsAll(selector.entrySet())) {
            status(name, s -> s.withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("False")
                    .withReason("Unschedulable").withMessage("0/1 nodes are available: 1 node(s) didn't match node "
                            + "selector.").endCondition());
            return;
        }
        if (!IMAGE.equals(container.getImage())) {
            status(name, s -> s.withPhase("Pending").withPodIP("127.0.0.1").addToContainerStatuses(
                    new ContainerStatusBuilder().withName(container.getName()).withImage(container.getImage())
                            .withNewState().withNewWaiting().withReason("ErrImageNeverPull").withMessage("Container image \""
                                    + container.getImage() + "\" is not present with pull policy of Never").endWaiting()
                            .endState().build()));
            return;
        }
        try {
            services.put(name, pod.getMetadata().getLabels().get(RunOwner.SERVICE));
            ProcessBuilder builder = new ProcessBuilder(command(container.getCommand()))
                    .directory(Files.createDirectories(Path.of(container.getWorkingDir())).toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().clear();
            builder.environment().put("PATH", System.getenv("PATH"));
            builder.environment().putAll(env(pod, container));
            Process process = builder.start();
            processes.put(name, process);
            status(name, s -> s.withPhase("Running").withPodIP("127.0.0.1").addToContainerStatuses(
                    new ContainerStatusBuilder().withName(container.getName()).withNewState().withNewRunning()
                            .endRunning().endState().build()));
            int code = process.waitFor();
            boolean oom = oomKilled.remove(name);
            status(name, s -> s.withPhase(code == 0 ? "Succeeded" : "Failed").withPodIP("127.0.0.1")
                    .addToContainerStatuses(new ContainerStatusBuilder().withName(container.getName()).withNewState()
                            .withNewTerminated().withExitCode(oom ? 137 : code).withReason(oom ? "OOMKilled"
                                    : code == 0 ? "Completed" : "Error").endTerminated().endState().build()));
        } catch (IOException e) {
            status(name, s -> s.withPhase("Failed").addToContainerStatuses(new ContainerStatusBuilder()
                    .withName(container.getName()).withNewState().withNewTerminated().withExitCode(128)
                    .withReason("ContainerCannotRun").withMessage(e.getMessage()).endTerminated().endState().build()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (KubernetesClientException | IllegalStateException | NullPointerException e) {
            // the pod and its secret were deleted before it ran (a launch given up), or the test is over
        }
    }

    /** The image's command with this JVM's java and the runtime's class path of this build. */
    private static List<String> command(List<String> image) {
        List<String> command = new ArrayList<>(image);
        command.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        int cp = command.indexOf("-cp");
        command.set(cp + 1, String.join(File.pathSeparator, RemoteRuntime.detect().classpath().stream()
                .map(Path::toString).toList()));
        return command;
    }

    /** The container's environment as the kubelet makes it: field references, $(VAR) expansion, the secret as a file. */
    private Map<String, String> env(Pod pod, Container container) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar variable : container.getEnv()) {
            String value = variable.getValueFrom() != null ? "127.0.0.1" : variable.getValue();
            for (Map.Entry<String, String> earlier : env.entrySet()) {
                value = value.replace("$(" + earlier.getKey() + ")", earlier.getValue());
            }
            env.put(variable.getName(), value);
        }
        Volume tls = pod.getSpec().getVolumes().stream().filter(v -> v.getSecret() != null).findFirst().orElseThrow();
        Secret secret = client.secrets().inNamespace(namespace).withName(tls.getSecret().getSecretName()).get();
        Path file = Files.createDirectories(secrets.resolve(pod.getMetadata().getName())).resolve(PodRecipe.TLS_FILE);
        Files.write(file, Base64.getDecoder().decode(secret.getData().get(PodRecipe.TLS_FILE)));
        env.put("SVC_TLS", file.toString());
        return env;
    }

    private void status(String name, UnaryOperator<PodStatusBuilder> change) {
        try {
            client.pods().inNamespace(namespace).withName(name).editStatus(p -> new PodBuilder(p)
                    .withStatus(change.apply(new PodStatusBuilder()).build()).build());
        } catch (KubernetesClientException | IllegalStateException e) {
            // deleted meanwhile, or the test is over (its client closed)
        }
    }

    @Override
    public void close() {
        watch.close();
        processes.values().forEach(Process::destroyForcibly);
    }

}
