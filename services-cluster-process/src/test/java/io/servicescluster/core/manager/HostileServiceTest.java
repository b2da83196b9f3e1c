package io.servicescluster.core.manager;

import static io.servicescluster.testing.TestClusters.idle;
import static io.servicescluster.testing.TestClusters.testClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.services.Hostile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: a service that writes control frames of its own into its pipe, or looks for secrets,
 * with a bystander beside it. The attack fails and the bystander runs on, untouched.
 */
class HostileServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path state;

    private static ServiceSpec.Builder hostile(String name, String attack) {
        return ServiceSpec.builder(name).code(CodeSpec.ofClass(Hostile.class.getName(), testClasses()))
                .setting("attack", attack);
    }

    @Test
    void forgedStatsAreNeverStoredNorShown() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("forged-stats").service(idle("bystander"))
                .service(hostile("forger", "stats")).build();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).build()) {
            manager.start();
            manager.awaitRunning(WAIT);
            long bystander = manager.status("bystander").pid().orElseThrow();
            // the forged samples went out during start: by the second real sample they were read long ago
            await().atMost(WAIT).until(() -> manager.status("forger").stats()
                    .filter(s -> s.cpuTimeNanos() > 0).isPresent());
            for (int i = 0; i < 3; i++) {
                ResourceStats s = manager.status("forger").stats().orElseThrow();
                assertThat(Double.isFinite(s.cpuPercent()) && s.cpuPercent() >= 0).as("cpu %s", s).isTrue();
                assertThat(s.cpuTimeNanos()).isNotNegative().isLessThan(Long.MAX_VALUE);
                assertThat(s.heapUsedBytes()).isNotNegative().isLessThanOrEqualTo(s.heapMaxBytes());
                assertThat(s.rssBytes()).isNotNegative().isLessThan(1L << 40);
                Thread.sleep(300);
            }
            assertThat(manager.status("forger").state()).isEqualTo(ServiceState.RUNNING);
            assertThat(manager.status("bystander").pid()).hasValue(bystander);
        }
    }

    @Test
    void anExceptionEventKeepsAShortMessageAndTheReportALongOne() throws Exception {
        // the event log is neither rotated nor cut: at the 10 reports a second a service may make,
        // a 64 KiB message in each event wrote 640 KB a second there, for as long as it ran
        String message = "m".repeat(60_000);
        ClusterSpec cluster = ClusterSpec.builder("long-exception").service(idle("bystander"))
                .service(ServiceSpec.builder("thrower").code(CodeSpec.ofClass(
                        io.servicescluster.testing.services.Configurable.class.getName(), testClasses()))
                        .setting("uncaught", message))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            String shown = events.await("thrower", Type.EXCEPTION, WAIT).detail("message");
            assertThat(shown).startsWith("mmm").endsWith(" bytes]").hasSizeLessThan(1_100);
            await().atMost(WAIT).until(() -> !manager.status("thrower").exceptions().isEmpty());
            // the report (status, NAME.exceptions.jsonl) keeps what the controller's own bound allows
            assertThat(manager.status("thrower").exceptions().getFirst().message()).startsWith("mmm")
                    .hasSizeGreaterThan(8_000);
            assertThat(manager.status("bystander").state()).isEqualTo(ServiceState.RUNNING);
        }
    }

    @Test
    void aForgedSecondStartedIsAProtocolViolationThatCostsOnlyTheForger() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("forged-started").service(idle("bystander"))
                .service(hostile("forger", "started")).build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            ServiceEvent crashed = events.await("forger", Type.CRASHED, WAIT);
            assertThat(crashed.details().get("reason").toString())
                    .contains("protocol violation: Started after the start was already answered");
            long bystander = manager.status("bystander").pid().orElseThrow();
            assertThat(manager.status("bystander").state()).isEqualTo(ServiceState.RUNNING);
            assertThat(manager.status("bystander").pid()).hasValue(bystander);
        }
        assertThat(events.historyOf("forger")).containsOnlyOnce("running");
        assertThat(events.historyOf("bystander")).doesNotContain("crashed", "failed");
    }

    @Test
    void noSecretInTheEnvironmentOrOnTheCommandLineAndSocketNamesRevealNothing() throws Exception {
        // the prober has a dependent, so that it serves a data socket (SVC_DATA)
        ClusterSpec cluster = ClusterSpec.builder("secrets").service(hostile("prober", "secrets"))
                .service(idle("user").dependsOn("prober")).build();
        RecordingListener events = new RecordingListener();
        List<String> seen;
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            manager.awaitRunning(WAIT);
            await().atMost(WAIT).until(() -> events.lines("prober", OutputStream.STDOUT).stream()
                    .anyMatch(l -> l.startsWith("cmdline: ")));
            seen = events.lines("prober", OutputStream.STDOUT);
        }
        assertThat(seen).anyMatch(l -> l.startsWith("environ: SVC_CONTROL="));
        // a class service's class and class path, for the remote to load as it starts (its Preload): no secret
        assertThat(seen).contains("environ: SVC_PRELOAD_CLASS=" + Hostile.class.getName());
        assertThat(seen).anyMatch(l -> l.startsWith("environ: SVC_PRELOAD_CLASSPATH=")
                && l.contains(testClasses().toString()));
        assertThat(seen).noneMatch(l -> l.startsWith("environ: SVC_TOKEN"));
        // tokens and capability keys are 128 bits or more in hex: no such run anywhere
        Pattern secret = Pattern.compile("[0-9a-fA-F]{32}");
        assertThat(seen).noneMatch(l -> secret.matcher(l).find());
        String data = seen.stream().filter(l -> l.startsWith("environ: SVC_DATA=")).findFirst().orElseThrow();
        assertThat(Path.of(data.substring(data.indexOf("unix:") + 5)).getFileName().toString()).matches("[0-9a-f]{8}\\.data");
    }
}
