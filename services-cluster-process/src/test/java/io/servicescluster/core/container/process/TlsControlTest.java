package io.servicescluster.core.container.process;

import static io.servicescluster.testing.TestClusters.idle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.container.support.ClusterCa;
import io.servicescluster.core.container.support.RemoteRuntime;
import io.servicescluster.core.manager.ServiceEvent;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.core.manager.ServicesManager;
import io.servicescluster.protocol.TlsCredentials;
import io.servicescluster.testing.Processes;
import io.servicescluster.testing.RecordingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a launch under {@code process: {transport: tls}} gets its credentials and endpoints (a shell
 * script stands in for {@code java}, to see exactly what a remote is given), and how a JVM that
 * ends before its hello fails the start.
 */
class TlsControlTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ProcessOptions TLS = new ProcessOptions(ProcessOptions.Transport.TLS);

    @TempDir
    Path dir;

    @Test
    void theRemoteReadsItsOwnCredentialsFromDescriptorThreeAndNothingSecretIsInItsEnvironment() throws Exception {
        Path got = dir.resolve("got.pem");
        Path env = dir.resolve("env");
        RemoteRuntime fake = fakeJava("env > " + env + "; cat <&3 > " + got + "; exec sleep 60");
        ClusterSpec cluster = ClusterSpec.builder("handover")
                .service(idle("svc").options(TLS).unconfined(true).startTimeout(Duration.ofSeconds(3))).build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(dir.resolve("state")).listener(events)
                .containerFactory(new ProcessContainerFactory(fake)).build()) {
            manager.start();
            await().atMost(TIMEOUT).until(() -> Files.exists(got) && Files.size(got) > 0
                    && Files.readString(got).endsWith("-----END CERTIFICATE-----\n"));
            TlsCredentials credentials = TlsCredentials.fromPem(Files.readString(got));
            assertThat(credentials.certificate().getSubjectX500Principal().getName())
                    .isEqualTo("CN=svc,OU=start 1,O=services-cluster handover");
            assertThat(credentials.authority()).isEqualTo(ClusterCa.of(manager.runDirectory(), "handover").certificate());
            credentials.certificate().verify(credentials.authority().getPublicKey());
            List<String> variables = Files.readAllLines(env);
            assertThat(variables).contains("SVC_TLS=fd:3").anyMatch(v -> v.matches("SVC_CONTROL=tls:127\\.0\\.0\\.1:\\d+"))
                    .noneMatch(v -> v.contains("PRIVATE") || v.startsWith("SVC_TOKEN"));
            // no hello: the start times out and its process is gone
            ServiceEvent failed = events.await("svc", Type.FAILED, TIMEOUT);
            assertThat(failed.details().get("reason").toString()).containsAnyOf("did not say hello", "timed out");
            awaitFakeGone();
        }
    }

    @Test
    void aJvmThatEndsBeforeItsHelloFailsTheStartWithItsStatusAndLastWords() throws Exception {
        RemoteRuntime fake = fakeJava("echo 'Error: no such class' >&2; exit 3");
        ClusterSpec cluster = ClusterSpec.builder("early").service(idle("svc").options(TLS).unconfined(true)).build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(dir.resolve("state")).listener(events)
                .containerFactory(new ProcessContainerFactory(fake)).build()) {
            manager.start();
            ServiceEvent failed = events.await("svc", Type.FAILED, TIMEOUT);
            assertThat(failed.details().get("reason").toString())
                    .contains("exited with code 3 before saying hello", "Error: no such class");
        }
    }

    private RemoteRuntime fakeJava(String body) throws Exception {
        Path script = dir.resolve("fake-java");
        Files.writeString(script, "#!/bin/sh\necho $$ > " + dir.resolve("fake.pid") + "\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return new RemoteRuntime(script, List.of(), List.of());
    }

    private void awaitFakeGone() throws Exception {
        long pid = Long.parseLong(Files.readString(dir.resolve("fake.pid")).trim());
        await().atMost(TIMEOUT).until(() -> Processes.gone(pid));
    }
}
