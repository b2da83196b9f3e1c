package io.servicescluster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.cli.SvcRun.Result;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code svc run FILE --ui PORT} and {@code svc ui} (SPEC §5): the printed URL, its token, 401 without it. */
class UiCommandTest {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private int status(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Ends a detached manager this test started, and everything under it. */
    private static void endTree(ProcessHandle manager) throws Exception {
        java.util.List<ProcessHandle> all = new java.util.ArrayList<>(manager.descendants().toList());
        all.add(manager);
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle process : all) {
            process.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void runWithUiPrintsADashboardUrlWithATokenThatSvcUiPrintsAgain() throws Exception {
        Path file = TestFiles.webAndDb(dir);
        try (SvcRun run = SvcRun.start(dir, file.toString(), "--ui", "0")) {
            run.awaitAllRunning(file.toString());
            Optional<String> line = run.stdout().stream().filter(l -> l.startsWith("dashboard: ")).findFirst();
            assertThat(line).as("stdout: %s", run.stdout()).isPresent();
            URI url = URI.create(line.get().substring("dashboard: ".length()));
            assertThat(url.toString()).matches("http://127\\.0\\.0\\.1:\\d+/\\?token=[A-Za-z0-9_-]{40,}");
            assertThat(status(url)).isEqualTo(200);
            URI bare = URI.create("http://127.0.0.1:" + url.getPort() + "/");
            assertThat(status(bare)).isEqualTo(401);
            assertThat(status(bare.resolve("/api/state"))).isEqualTo(401);

            Result ui = Result.of("ui", "--cluster", file.toString());
            assertThat(ui.status()).as(ui.err()).isZero();
            assertThat(ui.out()).isEqualTo("dashboard: " + url + "\n");
        }
    }

    @Test
    void detachWithUiPrintsTheUrlAndSvcUiFindsItForTheDetachedCluster() throws Exception {
        SvcRun.isolate(dir);
        Path file = TestFiles.webAndDb(dir);
        Result run = Result.of("run", file.toString(), "--detach", "--ui", "0");
        java.util.regex.Matcher pid = java.util.regex.Pattern.compile("manager pid (\\d+)").matcher(run.out());
        assertThat(pid.find()).as(run.out() + run.err()).isTrue();
        ProcessHandle manager = ProcessHandle.of(Long.parseLong(pid.group(1))).orElseThrow();
        try {
            assertThat(run.status()).as(run.err()).isZero();
            String line = run.out().lines().filter(l -> l.startsWith("dashboard: ")).findFirst().orElseThrow();
            URI url = URI.create(line.substring("dashboard: ".length()));
            assertThat(status(url)).isEqualTo(200);
            Result ui = Result.of("ui", "--cluster", "greeters");
            assertThat(ui.out()).isEqualTo(line + "\n");
            assertThat(Result.of("stop", "--cluster", "greeters").status()).isZero();
        } finally {
            endTree(manager);
        }
    }

    /** A detached cluster started without --ui: svc ui has its manager serve the dashboard now. */
    @Test
    void svcUiServesTheDashboardOfADetachedClusterStartedWithoutUi() throws Exception {
        SvcRun.isolate(dir);
        Path file = TestFiles.webAndDb(dir);
        Result run = Result.of("run", file.toString(), "--detach");
        java.util.regex.Matcher pid = java.util.regex.Pattern.compile("manager pid (\\d+)").matcher(run.out());
        assertThat(pid.find()).as(run.out() + run.err()).isTrue();
        ProcessHandle manager = ProcessHandle.of(Long.parseLong(pid.group(1))).orElseThrow();
        try {
            assertThat(run.out()).doesNotContain("dashboard: ");
            try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                Result busy = Result.of("ui", "--cluster", "greeters", "--port", Integer.toString(taken.getLocalPort()));
                assertThat(busy.status()).isEqualTo(1);
                assertThat(busy.err()).isEqualTo("svc ui: cannot serve the dashboard on port " + taken.getLocalPort()
                        + ": port " + taken.getLocalPort() + " on 127.0.0.1 is already in use\n");
            }
            Result ui = Result.of("ui", "--cluster", "greeters");
            assertThat(ui.status()).as(ui.err()).isZero();
            URI url = URI.create(ui.out().strip().substring("dashboard: ".length()));
            assertThat(url.toString()).matches("http://127\\.0\\.0\\.1:\\d+/\\?token=[A-Za-z0-9_-]{40,}");
            assertThat(status(url)).isEqualTo(200);
            assertThat(status(URI.create("http://127.0.0.1:" + url.getPort() + "/api/state"))).isEqualTo(401);
            // what happened before it was served is there: the events since the start
            String token = url.getQuery().substring("token=".length());
            try (java.io.InputStream stream = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + url.getPort() + "/api/events?since=0")).header("X-Svc-Token", token).build(),
                    HttpResponse.BodyHandlers.ofInputStream()).body()) {
                // the stream sends what it holds at once (a keep-alive every 15 s after): read until it came
                StringBuilder seen = new StringBuilder();
                byte[] chunk = new byte[4096];
                for (int read; !seen.toString().contains("created") && (read = stream.read(chunk)) > 0; ) {
                    seen.append(new String(chunk, 0, read, java.nio.charset.StandardCharsets.UTF_8));
                }
                assertThat(seen.toString()).contains("created", "running");
            }
            assertThat(Result.of("ui", "--cluster", "greeters").out()).isEqualTo(ui.out()); // served once
            assertThat(Result.of("stop", "--cluster", "greeters").status()).isZero();
        } finally {
            endTree(manager);
        }
    }

    @Test
    void aPortOutOfRangeOrTakenIsAUsageError() throws Exception {
        Path file = TestFiles.webAndDb(dir);
        Result bad = Result.of("run", file.toString(), "--ui", "70000");
        assertThat(bad.status()).isEqualTo(Svc.INVALID);
        assertThat(bad.err()).isEqualTo("svc run: --ui 70000: not a port (0 to 65535; 0 takes a free one)\n");
        try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            SvcRun.isolate(dir);
            Result busy = Result.of("run", file.toString(), "--ui", Integer.toString(taken.getLocalPort()));
            assertThat(busy.status()).isEqualTo(Svc.INVALID);
            assertThat(busy.err()).startsWith("svc run: --ui " + taken.getLocalPort() + ": ");
        }
        await().untilAsserted(() -> assertThat(Result.of("ps", "--cluster", file.toString()).status()).isEqualTo(1));
    }
}
