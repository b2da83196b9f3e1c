package io.servicescluster.core.container.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.servicescluster.core.config.Permissions;
import io.servicescluster.core.config.Resources;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.CleanReport;
import io.servicescluster.core.container.CleanScope;
import io.servicescluster.core.container.ContainerEnvironment;
import io.servicescluster.core.container.ContainerException;
import io.servicescluster.core.container.RemoteProcess;
import io.servicescluster.core.container.ServiceContainer;
import io.servicescluster.testing.TestClusters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tier 1: what the kind sends to the API server (fabric8's mock, CRUD mode) and how it reads the
 * pod's states back from a watch, with {@link LocalKubelet} running each pod's command as a local
 * JVM that really connects back over mutual TLS.
 */
class KubernetesContainerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path state;
    private MockCluster cluster;

    @BeforeEach
    void start() {
        cluster = new MockCluster();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private ContainerEnvironment environment(String service, boolean servesData) {
        return new ContainerEnvironment("shop", state.resolve("run"), state.resolve("work").resolve(service),
                (stream, line) -> { }, Duration.ofSeconds(10), Optional.empty(), servesData);
    }

    private ServiceContainer container(ServiceSpec spec, boolean servesData) {
        return cluster.factory.newContainer(spec, environment(spec.name(), servesData));
    }

    private static ServiceSpec.Builder service(String name, KubernetesOptions options) {
        return TestClusters.idle(name).container("kubernetes").options(options);
    }

    private List<Pod> pods() {
        return cluster.client.pods().inNamespace(MockCluster.NAMESPACE).list().getItems();
    }

    @Test
    void aStartIsAPodOwnedByTheRunWithLabelsLimitsAndASecurityContext() throws Exception {
        ServiceSpec spec = service("orders", MockCluster.options())
                .resources(new Resources(OptionalLong.of(256L << 20), OptionalDouble.of(0.5)))
                .env("LOG_LEVEL", "debug").build();
        ServiceContainer container = container(spec, true);
        container.create();
        RemoteProcess remote = container.launch(TIMEOUT);
        try {
            assertThat(remote.dataEndpoint()).startsWith("tls:127.0.0.1:");
            Pod pod = pods().getFirst();
            assertThat(pod.getMetadata().getName()).matches("svc-shop-orders-[0-9a-f]{8}");
            assertThat(pod.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "services-cluster")
                    .containsEntry("servicescluster.io/cluster", "shop").containsEntry("servicescluster.io/service", "orders")
                    .containsEntry("servicescluster.io/run", cluster.factory.run())
                    .containsKey("servicescluster.io/launch");
            ConfigMap owner = cluster.client.configMaps().inNamespace(MockCluster.NAMESPACE)
                    .withName("svc-shop-run-" + cluster.factory.run()).get();
            assertThat(owner).isNotNull();
            assertThat(owner.getMetadata().getAnnotations()).containsEntry("servicescluster.io/manager-pid",
                    Long.toString(ProcessHandle.current().pid()));
            assertThat(pod.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
                assertThat(ref.getKind()).isEqualTo("ConfigMap");
                assertThat(ref.getName()).isEqualTo(owner.getMetadata().getName());
                assertThat(ref.getUid()).isEqualTo(owner.getMetadata().getUid());
            });
            assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
            assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
            assertThat(pod.getSpec().getHostNetwork()).isFalse();
            assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSpec().getSecurityContext().getRunAsUser()).isEqualTo(65534L);
            Container main = pod.getSpec().getContainers().getFirst();
            assertThat(main.getImage()).isEqualTo(LocalKubelet.IMAGE);
            assertThat(main.getImagePullPolicy()).isEqualTo("Never");
            assertThat(main.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(main.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(main.getSecurityContext().getPrivileged()).isFalse();
            assertThat(main.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
            assertThat(main.getResources().getLimits()).containsEntry("memory", new Quantity(Long.toString(256L << 20)))
                    .containsEntry("cpu", new Quantity("0.5"));
            assertThat(main.getResources().getRequests()).isEqualTo(main.getResources().getLimits());
            assertThat(main.getCommand()).contains("-cp", "/opt/services-cluster/lib/*",
                    "io.servicescluster.remote.RemoteMain").startsWith("java");
            assertThat(main.getEnv()).extracting(EnvVar::getName).containsSubsequence("LOG_LEVEL", "SVC_CONTROL",
                    "SVC_TLS", "SVC_WATCHDOG_MS", "TMPDIR", "SVC_POD_IP", "SVC_DATA");
            assertThat(main.getEnv()).filteredOn(e -> e.getName().equals("SVC_DATA")).singleElement()
                    .extracting(EnvVar::getValue).isEqualTo("tls:$(SVC_POD_IP):0");
            assertThat(main.getEnv()).filteredOn(e -> e.getName().equals("SVC_CONTROL")).singleElement()
                    .extracting(EnvVar::getValue).asString().startsWith("tls:127.0.0.1:");
            assertThat(main.getVolumeMounts()).anySatisfy(m -> {
                assertThat(m.getMountPath()).isEqualTo(PodRecipe.TLS_DIR);
                assertThat(m.getReadOnly()).isTrue();
            });
            // the start's key was read at the hello: its Secret is gone
            Awaitility.await("the secret deleted after the hello").atMost(10, TimeUnit.SECONDS).until(() ->
                    cluster.client.secrets().inNamespace(MockCluster.NAMESPACE).list().getItems().isEmpty());
        } finally {
            container.destroy();
        }
        assertThat(remote.onExit()).succeedsWithin(TIMEOUT);
        assertThat(pods()).isEmpty();
        assertThat(cluster.client.configMaps().inNamespace(MockCluster.NAMESPACE).list().getItems())
                .as("the run's owner, deleted with its last container").isEmpty();
    }

    @Test
    void aKilledPodIsTheRemotesExitAndItsPodIsDeleted() throws Exception {
        ServiceContainer container = container(service("worker", MockCluster.options()).build(), false);
        container.create();
        try {
            RemoteProcess remote = container.launch(TIMEOUT);
            assertThat(pods()).hasSize(1);
            cluster.kubelet.oomKill(pods().getFirst().getMetadata().getName());
            RemoteProcess.Exit exit = remote.onExit().get(30, TimeUnit.SECONDS);
            assertThat(exit.outOfMemory()).isTrue();
            assertThat(exit.exitCode()).isEqualTo(137);
            assertThat(exit.description()).contains("OOMKilled");
            Awaitility.await("the ended pod deleted").atMost(10, TimeUnit.SECONDS).until(() -> pods().isEmpty());
        } finally {
            container.destroy();
        }
    }

    @Test
    void anImageThatIsNotThereFailsTheStartWithTheApisReason() throws Exception {
        KubernetesOptions options = MockCluster.options().withImage("nope:1");
        ServiceContainer container = container(service("ghost", options).build(), false);
        container.create();
        try {
            assertThatThrownBy(() -> container.launch(TIMEOUT)).isInstanceOf(ContainerException.class)
                    .hasMessageContaining("the remote of 'ghost' failed: its pod test/svc-shop-ghost-")
                    .hasMessageContaining("cannot start: ErrImageNeverPull: Container image \"nope:1\" is not present");
            assertThat(pods()).as("the pod given up is deleted").isEmpty();
        } finally {
            container.destroy();
        }
    }

    @Test
    void aPodNoNodeTakesFailsTheStartWithTheSchedulersReason() throws Exception {
        KubernetesOptions options = MockCluster.options().withNodeSelector(Map.of("disk", "ssd"));
        ServiceContainer container = container(service("picky", options).build(), false);
        container.create();
        try {
            assertThatThrownBy(() -> container.launch(TIMEOUT)).isInstanceOf(ContainerException.class)
                    .hasMessageContaining("cannot start: Unschedulable: 0/1 nodes are available");
            assertThat(pods()).isEmpty();
        } finally {
            container.destroy();
        }
    }

    @Test
    void whatAPodCannotEnforceIsRefusedBeforeAnythingIsMade() {
        KubernetesOptions base = MockCluster.options();
        ServiceSpec offline = service("offline", base).permissions(new Permissions(Optional.empty(), List.of(), false,
                false)).build();
        assertThatThrownBy(() -> container(offline, false).create()).isInstanceOf(ContainerException.class)
                .hasMessageContaining("cannot enforce 'network: false' for 'offline'")
                .hasMessageContaining("networkPolicies: true");
        KubernetesOptions hostNetwork = base.withHostNetwork(true).withNetworkPolicies(true);
        ServiceSpec offlineOnHost = service("offline", hostNetwork).permissions(new Permissions(Optional.empty(),
                List.of(), false, false)).build();
        assertThatThrownBy(() -> container(offlineOnHost, false).create()).isInstanceOf(ContainerException.class)
                .hasMessageContaining("with hostNetwork: true: a pod on its node's network is not subject to NetworkPolicy");
        ServiceSpec files = service("files", base).permissions(new Permissions(Optional.of(List.of(Path.of("/data"))),
                List.of(), true, false)).build();
        assertThatThrownBy(() -> container(files, false).create()).isInstanceOf(ContainerException.class)
                .hasMessageContaining("cannot enforce files.read/files.write for 'files'");
        ServiceSpec pids = service("pids", base).resources(new Resources(OptionalLong.empty(), OptionalDouble.empty(),
                OptionalLong.of(64), OptionalLong.empty())).build();
        assertThatThrownBy(() -> container(pids, false).create()).isInstanceOf(ContainerException.class)
                .hasMessageContaining("cannot enforce pids for 'pids'");
        ServiceSpec disk = service("disk", base.withHostWorkDir(true)).resources(new Resources(OptionalLong.empty(),
                OptionalDouble.empty(), OptionalLong.empty(), OptionalLong.of(1L << 30))).build();
        assertThatThrownBy(() -> container(disk, false).create()).isInstanceOf(ContainerException.class)
                .hasMessageContaining("cannot enforce disk for 'disk' with hostWorkDir: true");
        assertThat(cluster.client.configMaps().inNamespace(MockCluster.NAMESPACE).list().getItems()).isEmpty();
    }

    @Test
    void networkFalseWhereEnforcedIsANetworkPolicyAllowingTheManagerAndTheRunOnly() throws Exception {
        KubernetesOptions base = MockCluster.options();
        KubernetesOptions enforced = base.withNetworkPolicies(true);
        ServiceContainer container = container(service("offline", enforced).permissions(new Permissions(Optional.empty(),
                List.of(), false, false)).build(), false);
        container.create();
        try {
            container.launch(TIMEOUT);
            var policies = cluster.client.network().v1().networkPolicies().inNamespace(MockCluster.NAMESPACE).list()
                    .getItems();
            assertThat(policies).singleElement().satisfies(policy -> {
                assertThat(policy.getMetadata().getName()).isEqualTo(pods().getFirst().getMetadata().getName());
                assertThat(policy.getMetadata().getOwnerReferences()).singleElement()
                        .satisfies(ref -> assertThat(ref.getKind()).isEqualTo("ConfigMap"));
                assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
                assertThat(policy.getSpec().getEgress().getFirst().getTo().getFirst().getIpBlock().getCidr())
                        .isEqualTo("127.0.0.1/32");
                assertThat(policy.getSpec().getIngress().getFirst().getFrom().getFirst().getPodSelector().getMatchLabels())
                        .isEqualTo(Map.of("servicescluster.io/run", cluster.factory.run()));
            });
        } finally {
            container.destroy();
        }
        assertThat(cluster.client.network().v1().networkPolicies().inNamespace(MockCluster.NAMESPACE).list().getItems())
                .isEmpty();
    }

    @Test
    void theOwnerOfAManagerThatDiedIsDeletedByTheNextRun() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Map<String, String> labels = Map.of("app.kubernetes.io/managed-by", "services-cluster",
                "servicescluster.io/role", "owner", "servicescluster.io/cluster", "shop", "servicescluster.io/run", "0dead0");
        String host = io.servicescluster.core.container.support.ManagerIdentity.hostName();
        cluster.client.configMaps().inNamespace(MockCluster.NAMESPACE).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("svc-shop-run-0dead0").withLabels(labels).withAnnotations(Map.of(
                        "servicescluster.io/manager-host", host, "servicescluster.io/manager-pid",
                        Long.toString(dead.pid()))).endMetadata().build()).create();
        cluster.client.configMaps().inNamespace(MockCluster.NAMESPACE).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("svc-shop-run-0live0").withLabels(labels).withAnnotations(Map.of(
                        "servicescluster.io/manager-host", host, "servicescluster.io/manager-pid",
                        Long.toString(ProcessHandle.current().pid()))).endMetadata().build()).create();
        cluster.client.configMaps().inNamespace(MockCluster.NAMESPACE).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("svc-shop-run-0else0").withLabels(labels).withAnnotations(Map.of(
                        "servicescluster.io/manager-host", "another-host", "servicescluster.io/manager-pid",
                        Long.toString(dead.pid()))).endMetadata().build()).create();

        ServiceContainer container = container(service("next", MockCluster.options()).build(), false);
        container.create();
        container.destroy();

        assertThat(cluster.client.configMaps().inNamespace(MockCluster.NAMESPACE).list().getItems())
                .extracting(c -> c.getMetadata().getName())
                .as("the dead manager's owner deleted; a live one's and another host's kept")
                .containsExactlyInAnyOrder("svc-shop-run-0live0", "svc-shop-run-0else0");
    }

    /** {@code svc clean}'s report, as lines. */
    private static final class Report implements CleanReport {
        final List<String> removed = new java.util.ArrayList<>();
        final List<String> failed = new java.util.ArrayList<>();

        @Override
        public void removed(String engine, String what) {
            removed.add(engine + ": " + what);
        }

        @Override
        public void failed(String engine, String problem) {
            failed.add(engine + ": " + problem);
        }
    }

    private void owner(String namespace, String clusterName, String run, String host, long pid) {
        cluster.client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("svc-" + clusterName + "-run-" + run).withLabels(Map.of("app.kubernetes.io/managed-by",
                        "services-cluster", "servicescluster.io/role", "owner", "servicescluster.io/cluster", clusterName,
                        "servicescluster.io/run", run))
                .withAnnotations(Map.of("servicescluster.io/manager-host", host, "servicescluster.io/manager-pid",
                        Long.toString(pid))).endMetadata().build()).create();
    }

    @Test
    void svcCleanDeletesOwnersOfDeadManagersHereAndOnlyLongEndedPodsOfAnotherHost() throws Exception {
        String far = "far"; // no kubelet there: the pods' states stay as written
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        String host = io.servicescluster.core.container.support.ManagerIdentity.hostName();
        owner(far, "shop", "0dead0", host, dead.pid());
        owner(far, "shop", "0live0", host, ProcessHandle.current().pid());
        owner(far, "shop", "0else0", "another-host", dead.pid());
        owner(far, "other", "0dead1", host, dead.pid());
        for (String pod : List.of("svc-shop-ended-1", "svc-shop-runs-2")) {
            boolean ended = pod.contains("ended");
            cluster.client.pods().inNamespace(far).resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName(pod)
                    .withLabels(Map.of("servicescluster.io/run", "0else0")).endMetadata()
                    .withNewStatus().withPhase(ended ? "Failed" : "Running")
                    .addNewContainerStatus().withName(PodOutcome.CONTAINER).withNewState()
                    .withTerminated(ended ? new io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder()
                            .withExitCode(137).withFinishedAt("2026-01-01T00:00:00Z").build() : null)
                    .withRunning(ended ? null : new io.fabric8.kubernetes.api.model.ContainerStateRunning())
                    .endState().endContainerStatus().endStatus().build()).create();
        }
        KubernetesOptions inFar = new KubernetesOptions(Optional.empty(), Optional.of(far), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                OptionalLong.empty(), Optional.empty(), Map.of(), Optional.empty(), Optional.empty());
        Report report = new Report();

        cluster.factory.clean(new CleanScope(Optional.of("shop"), List.of(service("db", inFar).build()),
                CleanScope.DEFAULT_GRACE), report);

        assertThat(report.failed).isEmpty();
        assertThat(report.removed).containsExactlyInAnyOrder(
                "kubernetes far: owner configmap far/svc-shop-run-0dead0 and its pods, left by manager pid " + dead.pid()
                        + " on " + host + " that died",
                "kubernetes far: ended pod far/svc-shop-ended-1, left by manager pid " + dead.pid() + " on another-host");
        assertThat(cluster.client.configMaps().inNamespace(far).list().getItems()).extracting(c -> c.getMetadata().getName())
                .as("a live manager's owner, another host's, another cluster's: kept")
                .containsExactlyInAnyOrder("svc-shop-run-0live0", "svc-shop-run-0else0", "svc-other-run-0dead1");
        assertThat(cluster.client.pods().inNamespace(far).list().getItems()).extracting(p -> p.getMetadata().getName())
                .as("another host's running pod: kept").containsExactly("svc-shop-runs-2");
    }

    @Test
    void svcCleanSaysWhichKubernetesItCannotReach() {
        io.fabric8.kubernetes.client.Config config = new io.fabric8.kubernetes.client.ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:1").withRequestRetryBackoffLimit(0).build();
        KubernetesContainerFactory down = new KubernetesContainerFactory(context ->
                new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config).build());
        Report report = new Report();

        down.clean(new CleanScope(Optional.of("shop"), List.of(service("db", MockCluster.options()).build()),
                CleanScope.DEFAULT_GRACE), report);

        assertThat(report.removed).isEmpty();
        assertThat(report.failed).singleElement().asString().startsWith("kubernetes test: ").contains("127.0.0.1:1");
    }

    @Test
    void anApiErrorFailsTheStartWithTheApisMessage() throws Exception {
        ServiceContainer container = container(service("clash", MockCluster.options()).build(), false);
        container.create();
        cluster.server.expect().post().withPath("/api/v1/namespaces/test/pods").andReturn(403,
                new io.fabric8.kubernetes.api.model.StatusBuilder().withStatus("Failure").withReason("Forbidden")
                        .withCode(403).withMessage("pods is forbidden: User \"dev\" cannot create resource \"pods\"")
                        .build()).always();
        try {
            assertThatThrownBy(() -> container.launch(TIMEOUT)).isInstanceOf(ContainerException.class)
                    .hasMessageContaining("cannot make the pod of 'clash' in namespace 'test': Forbidden (403): pods is "
                            + "forbidden: User \"dev\" cannot create resource \"pods\"");
            List<Secret> secrets = cluster.client.secrets().inNamespace(MockCluster.NAMESPACE).list().getItems();
            assertThat(secrets).as("nothing of the start is left").isEmpty();
        } finally {
            container.destroy();
        }
    }

    @Test
    void anUnreachableApiServerFailsTheCreateSayingWhy() {
        io.fabric8.kubernetes.client.Config config = new io.fabric8.kubernetes.client.ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:1").withRequestRetryBackoffLimit(0).build();
        KubernetesContainerFactory down = new KubernetesContainerFactory(context ->
                new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config).build());
        ServiceContainer container = down.newContainer(service("lost", MockCluster.options()).build(),
                environment("lost", false));
        assertThatThrownBy(container::create).isInstanceOf(ContainerException.class)
                .hasMessageContaining("cannot use namespace 'test' of Kubernetes: Operation: [list]  for kind: [ConfigMap]")
                .hasMessageContaining("Exception)"); // the root cause, not only fabric8's wrapper
        container.destroy();
    }
}
