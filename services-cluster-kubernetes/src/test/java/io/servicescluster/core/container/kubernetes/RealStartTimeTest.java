package io.servicescluster.core.container.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.manager.ServicesManager;
import io.servicescluster.testing.TestClusters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark, tier 2: a service's start to {@code running} on the kubernetes kind
 * (pod made, scheduled, its JVM up, connected back over TLS, the code sent and started) beside a
 * plain pod of the same image made through the API as {@code kubectl run} makes it, to its
 * {@code Ready} condition (its container started; no JVM work awaited). Prints the medians.
 */
class RealStartTimeTest {

    private static final int ROUNDS = 5;

    @TempDir
    Path state;

    @Test
    void aServiceStartBesideAPlainPodOfTheSameImage() throws Exception {
        KubernetesClient client = RealCluster.require();
        List<Long> service = new ArrayList<>();
        List<Long> plain = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            ClusterSpec cluster = ClusterSpec.builder("bench")
                    .service(RealKubernetesUnderTest.INSTANCE.adapt(TestClusters.idle("one"))).build();
            try (ServicesManager manager = RealKubernetesUnderTest.INSTANCE.register(ServicesManager.builder(cluster)
                    .stateDir(state.resolve("r" + round))).build()) {
                long started = System.nanoTime();
                manager.start();
                manager.awaitRunning(Duration.ofSeconds(60));
                service.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            }
            plain.add(plainPodToReady(client, "bench-plain-" + round));
        }
        System.out.println("kubernetes start: service to running " + service + " ms (median " + median(service)
                + "), plain pod to Ready " + plain + " ms (median " + median(plain) + ")");
        assertThat(median(service)).isLessThan(30_000);
    }

    private static long plainPodToReady(KubernetesClient client, String name) {
        Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(RealCluster.NAMESPACE).endMetadata()
                .withNewSpec().withRestartPolicy("Never").withHostNetwork(true).withTerminationGracePeriodSeconds(0L)
                .addNewContainer().withName("plain").withImage(RealCluster.IMAGE).withImagePullPolicy("Never")
                .withCommand("/opt/java/bin/java", "-XX:+UseSerialGC", "-cp", TestClassesPath.of(Sleeper.class),
                        Sleeper.class.getName())
                .endContainer().endSpec().build();
        long started = System.nanoTime();
        client.pods().inNamespace(RealCluster.NAMESPACE).resource(pod).create();
        try {
            client.pods().inNamespace(RealCluster.NAMESPACE).withName(name).waitUntilCondition(p -> p != null
                    && p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions()
                    .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())), 60,
                    TimeUnit.SECONDS);
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        } finally {
            client.pods().inNamespace(RealCluster.NAMESPACE).withName(name).withGracePeriod(0).delete();
            client.pods().inNamespace(RealCluster.NAMESPACE).withName(name).waitUntilCondition(p -> p == null, 60,
                    TimeUnit.SECONDS);
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** Where a test class was loaded from: the image holds this build's test classes at the same path. */
    private static final class TestClassesPath {
        static String of(Class<?> type) {
            try {
                return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
