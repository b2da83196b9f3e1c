package io.servicescluster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.servicescluster.cli.SvcRun.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code svc stop} and {@code svc restart} against a running cluster; the order checked in its event log. */
class StopAndRestartTest {

    @TempDir
    Path dir;

    /** {@code db <- api <- web}, and {@code lone} on its own. */
    private Path chain() {
        return TestFiles.write(dir, "name: chain\nservices:\n"
                + "  db:\n" + TestFiles.code("Greeter")
                + "  api:\n    dependsOn: [db]\n" + TestFiles.code("Greeter")
                + "  web:\n    dependsOn: [api]\n" + TestFiles.code("Greeter")
                + "  lone:\n" + TestFiles.code("Greeter"));
    }

    @Test
    void stopOneServiceClosesItsDependentsFirstThenRestartBringsThemBackInOrder() throws Exception {
        Path file = chain();
        Path events = dir.resolve("events.jsonl");
        try (SvcRun run = SvcRun.start(dir, file.toString(), "--events", events.toString())) {
            run.awaitAllRunning(file.toString());
            // start-up progress, as plain lines when not on a terminal
            assertThat(run.stdout()).containsSubsequence("api waits for: db", "db   * running", "api  * starting");
            assertThat(run.stdout()).containsSubsequence("web waits for: api", "api  * running", "web  * starting");
            assertThat(run.stdout()).noneMatch(l -> l.startsWith("lone waits") || l.startsWith("db waits"));

            Result stop = Result.of("stop", "api", "--cluster", file.toString());
            assertThat(stop.status()).as(stop.err()).isZero();
            assertThat(stop.out()).isEqualTo("stopped api (and its dependents: web)\n");
            List<String> afterStop = read(events);
            assertThat(afterStop).containsSubsequence("web:closing", "web:closed", "api:closing", "api:closed");
            assertThat(afterStop.subList(afterStop.indexOf("web:closing"), afterStop.size()))
                    .noneMatch(e -> e.startsWith("db:") || e.startsWith("lone:"));
            assertThat(states(file)).containsExactly("db:running", "api:closed", "web:closed", "lone:running");

            int mark = read(events).size();
            Result restart = Result.of("restart", "api", "--cluster", file.toString());
            assertThat(restart.status()).as(restart.err()).isZero();
            assertThat(restart.out()).matches("restarted api \\(pid \\d+\\)\\n");
            await().atMost(SvcRun.WAIT).until(() -> states(file).stream().allMatch(s -> s.endsWith(":running")));
            assertThat(read(events).subList(mark, read(events).size()))
                    .containsSubsequence("api:starting", "api:running", "web:starting", "web:running");

            mark = read(events).size();
            restart = Result.of("restart", "db", "--cluster", file.toString());
            assertThat(restart.status()).as(restart.err()).isZero();
            await().atMost(SvcRun.WAIT).until(() -> read(events).lastIndexOf("web:running") > read(events).lastIndexOf("db:running")
                    && states(file).stream().allMatch(s -> s.endsWith(":running")));
            List<String> cycle = read(events).subList(mark, read(events).size());
            assertThat(cycle).containsSubsequence("web:closed", "api:closing", "api:closed", "db:closing", "db:closed",
                    "db:starting", "db:running", "api:starting", "api:running", "web:starting", "web:running");
            assertThat(cycle).noneMatch(e -> e.startsWith("lone:"));
        }
    }

    @Test
    void stopWithoutANameClosesTheWholeClusterInOrderAndSvcRunExitsZero() throws Exception {
        Path file = chain();
        Path events = dir.resolve("events.jsonl");
        try (SvcRun run = SvcRun.start(dir, file.toString(), "--events", events.toString())) {
            run.awaitAllRunning(file.toString());
            List<ProcessHandle> services = run.process().descendants().toList();

            Result stop = Result.of("stop", "--cluster", "chain");
            assertThat(stop.status()).as(stop.err()).isZero();
            assertThat(stop.out()).isEqualTo("stopped cluster chain\n");
            assertThat(run.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(run.process().exitValue()).as(run.stderr()).isZero();
            await().atMost(SvcRun.WAIT).untilAsserted(() -> assertThat(services).noneMatch(ProcessHandle::isAlive));
            assertThat(read(events)).containsSubsequence("web:closed", "api:closing", "api:closed", "db:closing",
                    "db:closed", "db:destroyed");
            Result ps = Result.of("ps", "--cluster", "chain");
            assertThat(ps.status()).isEqualTo(1);
            assertThat(ps.err()).contains("no cluster named 'chain' is running");
        }
    }

    private static List<String> states(Path file) {
        return SvcRun.Result.of("ps", "--cluster", file.toString()).rows().stream().map(r -> r.get(0) + ":" + r.get(1))
                .toList();
    }

    private static List<String> read(Path events) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(events)) {
            JsonNode event = json.readTree(line);
            out.add(event.get("service").asText() + ":" + event.get("event").asText());
        }
        return out;
    }
}
