package io.servicescluster.core.container.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.CleanReport;
import io.servicescluster.core.container.CleanScope;
import io.servicescluster.testing.Processes;
import io.servicescluster.testing.TestClusters;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R11 and R17 for kubernetes: after {@code kill -9} of a manager, its pods end by themselves (the
 * remote inside loses its control connection and exits; {@code restartPolicy: Never} keeps it
 * ended), and {@code svc clean} (as the next run) deletes the run's owner object, which takes everything else with it.
 * One subclass per tier.
 */
abstract class ManagerKillTest {

    /** The remote closes its service for at most 3 s, then exits; a kubelet reports it soon after. */
    private static final Duration ENDED_WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path state;

    abstract KubernetesUnderTest kubernetes();

    @Test
    void podsOfAKilledManagerEndByThemselvesAndTheNextRunDeletesTheirOwner() throws Exception {
        KubernetesUnderTest kubernetes = kubernetes();
        KubernetesClient client = kubernetes.client();
        KubernetesOptions options = kubernetes.options();
        List<String> command = Processes.java(KubernetesManagerMain.class.getName(), state.toString(),
                kubernetes.namespace(), options.image().orElseThrow(), Boolean.toString(options.hostNetwork().orElse(false)));
        command.add(1, "-Dkubeconfig=" + kubernetes.kubeconfig());
        Process manager = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(manager.getInputStream(), StandardCharsets.UTF_8));
            String line;
            StringBuilder log = new StringBuilder();
            while ((line = out.readLine()) != null && !line.equals("ready")) {
                log.append(line).append('\n');
            }
            assertThat(line).as("the child manager's output ended before it was ready:\n%s", log).isEqualTo("ready");
            // the service runs (its remote said hello over TLS); the kubelet reports the pod's phase a little later
            List<Pod> pods = Awaitility.await("the pod reported running").atMost(ENDED_WITHIN)
                    .pollInterval(Duration.ofMillis(100)).until(() -> podsOf(client, kubernetes.namespace(), manager.pid()),
                            found -> found.size() == 1 && "Running".equals(found.getFirst().getStatus().getPhase()));
            String pod = pods.getFirst().getMetadata().getName();

            long killed = System.nanoTime();
            manager.destroyForcibly();
            manager.waitFor();
            Awaitility.await("the pod ends by itself").atMost(ENDED_WITHIN).pollInterval(Duration.ofMillis(100))
                    .until(() -> ended(client.pods().inNamespace(kubernetes.namespace()).withName(pod).get()));
            System.out.println("kubernetes: the pod ended " + Duration.ofNanos(System.nanoTime() - killed).toMillis()
                    + " ms after kill -9 of its manager");

            // svc clean --cluster orphaned (as the next run's first use of the namespace) deletes the dead manager's owner
            List<String> removed = new java.util.ArrayList<>();
            ServiceSpec named = TestClusters.idle("any").container(KubernetesKind.NAME).options(options).build();
            new KubernetesContainerFactory(context -> client).clean(new CleanScope(Optional.of("orphaned"),
                    List.of(named), CleanScope.DEFAULT_GRACE), new CleanReport() {
                        @Override
                        public void removed(String engine, String what) {
                            removed.add(engine + ": " + what);
                        }

                        @Override
                        public void failed(String engine, String problem) {
                            throw new AssertionError(engine + ": " + problem);
                        }
                    });
            assertThat(removed).singleElement().asString().startsWith("kubernetes ")
                    .contains(kubernetes.namespace() + ": owner configmap " + kubernetes.namespace() + "/svc-orphaned-run-")
                    .endsWith("and its pods, left by manager pid " + manager.pid() + " on "
                            + io.servicescluster.core.container.support.ManagerIdentity.hostName() + " that died");
            assertThat(client.configMaps().inNamespace(kubernetes.namespace()).withLabel(RunOwner.ROLE, "owner").list()
                    .getItems()).noneMatch(c -> c.getMetadata().getAnnotations().get(RunOwner.MANAGER_PID)
                            .equals(Long.toString(manager.pid())));
            awaitOwnedDeleted(client, kubernetes.namespace(), pod);
        } finally {
            manager.destroyForcibly();
            manager.waitFor();
        }
    }

    /** What the garbage collector does on a real cluster; the mock API server has none, so there the test does it. */
    abstract void awaitOwnedDeleted(KubernetesClient client, String namespace, String pod);

    private static boolean ended(Pod pod) {
        return pod == null || "Succeeded".equals(pod.getStatus().getPhase()) || "Failed".equals(pod.getStatus().getPhase());
    }

    private static List<Pod> podsOf(KubernetesClient client, String namespace, long managerPid) {
        String run = client.configMaps().inNamespace(namespace).withLabel(RunOwner.ROLE, "owner").list().getItems()
                .stream().filter(c -> c.getMetadata().getAnnotations().get(RunOwner.MANAGER_PID)
                        .equals(Long.toString(managerPid))).findFirst().orElseThrow().getMetadata().getLabels()
                .get(RunOwner.RUN);
        return client.pods().inNamespace(namespace).withLabel(RunOwner.RUN, run).list().getItems();
    }
}
