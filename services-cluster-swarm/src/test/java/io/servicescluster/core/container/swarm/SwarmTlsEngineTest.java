package io.servicescluster.core.container.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servicescluster.clusterfile.ClusterFileParser;
import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.ContainerException;
import io.servicescluster.core.manager.ServicesManager;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.TestClusters;
import io.servicescluster.testing.services.Idle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §6's {@code hosts.swarm: { docker: tcp://…, tls: { ca, cert, key } }} against a real Engine
 * API with {@code --tlsverify}: the test bed's node a also listens on tcp://10.77.0.1:2376, with a CA,
 * server and client certificates it made (bin/swarm-testbed; /run/svc-swarm/tls), and a client
 * certificate of another CA (tls/other), which the daemon must refuse.
 */
class SwarmTlsEngineTest {

    private static final String ENGINE = "tcp://" + SwarmTests.MANAGER_ADDRESS + ":2376";
    private static final Path TESTBED_TLS = Path.of("/run/svc-swarm/tls");

    @TempDir
    Path dir;

    @BeforeEach
    void testBed() {
        SwarmTests.requireTestBed();
    }

    @AfterEach
    void nothingLeft() {
        Awaitility.await("nothing of this manager left on the swarm").atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(SwarmTests.leftBy(ProcessHandle.current().pid())).isEmpty());
        SwarmTests.removeVolumes();
    }

    @Test
    void aServiceStartsThroughTheEngineApiOverTls() throws Exception {
        // the cluster file's own folder holds the PEM files, named relative to it
        Path certs = Files.createDirectories(dir.resolve("certs"));
        for (String pem : new String[] {"ca.pem", "cert.pem", "key.pem"}) {
            Files.copy(TESTBED_TLS.resolve(pem), certs.resolve(pem));
        }
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, """
                name: over-tls
                hosts:
                  swarm:
                    docker: %s
                    tls: { ca: certs/ca.pem, cert: certs/cert.pem, key: certs/key.pem }
                    advertise: %s
                    image: %s
                    java: %s
                defaults: { container: swarm }
                services:
                  idle:
                    code: { class: a.Idle }
                    placement: { constraints: ["node.role==worker"] }
                """.formatted(ENGINE, SwarmTests.MANAGER_ADDRESS, SwarmTests.IMAGE, SwarmTests.JAVA));
        SwarmOptions options = ClusterFileParser.parse(file, ClusterFileParser.CodeChecks.ENTRIES).service("idle")
                .orElseThrow().options(SwarmOptions.class).orElseThrow();
        assertThat(options.engine()).contains(ENGINE);
        assertThat(options.tls()).contains(new SwarmTls(certs.resolve("ca.pem"), certs.resolve("cert.pem"),
                certs.resolve("key.pem")));

        // the file's options, on a service whose code is this build's test classes
        ClusterSpec cluster = ClusterSpec.builder("over-tls").service(ServiceSpec.builder("idle").container(SwarmKind.NAME)
                .options(options).code(CodeSpec.ofClass(Idle.class.getName(), TestClusters.testClasses()))).build();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(dir.resolve("state"))
                .listener(new RecordingListener()).containerFactory(SwarmUnderTest.FACTORY).build()) {
            manager.start();
            manager.awaitRunning(Duration.ofSeconds(60));
            assertThat(SwarmTests.runningContainersOf("idle")).singleElement().satisfies(c ->
                    assertThat(SwarmTests.client("b").listContainersCmd().withIdFilter(java.util.List.of(c.getId()))
                            .exec()).hasSize(1));
        }
    }

    @Test
    void aClientCertificateOfAnotherCaIsRefusedWithAClearMessage() {
        SwarmTls forged = new SwarmTls(TESTBED_TLS.resolve("ca.pem"), TESTBED_TLS.resolve("other/cert.pem"),
                TESTBED_TLS.resolve("other/key.pem"));
        assertThatThrownBy(() -> new SwarmContainerFactory(SwarmUnderTest.FACTORY.settings())
                .engine(ENGINE, Optional.of(forged)).client())
                .isInstanceOf(ContainerException.class)
                .hasMessageContaining("no Docker engine answers at " + ENGINE)
                .hasMessageContaining("the TLS connection failed: is " + forged.cert() + " signed by the CA the daemon trusts");

        // and a daemon certificate of a CA this client does not trust: refused by the client
        SwarmTls distrusting = new SwarmTls(TESTBED_TLS.resolve("other/ca.pem"), TESTBED_TLS.resolve("cert.pem"),
                TESTBED_TLS.resolve("key.pem"));
        assertThatThrownBy(() -> new SwarmContainerFactory(SwarmUnderTest.FACTORY.settings())
                .engine(ENGINE, Optional.of(distrusting)).client())
                .isInstanceOf(ContainerException.class)
                .hasMessageContaining("the TLS connection failed").hasMessageContaining("PKIX path");
    }
}
