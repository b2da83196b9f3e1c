package io.servicescluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.cli.SvcRun.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code svc verify} (SPEC §5) on the log of a real {@code svc run}: a cluster with a dependency,
 * a failed start and its dependent (R12), and an uncaught exception. The real log passes;
 * hand-tampered copies fail with the rule they break.
 */
class VerifyCommandTest {

    @TempDir
    static Path dir;
    private static Path cluster;
    private static List<String> log;

    @BeforeAll
    static void runARealCluster() throws Exception {
        SvcRun.isolate(dir);
        cluster = TestFiles.write(dir, clusterFile(""));
        Path events = dir.resolve("events.jsonl");
        try (SvcRun run = SvcRun.start(dir, cluster.toString(), "--events", events.toString(), "--for", "500ms")) {
            assertThat(run.exitStatus()).as("svc run: a service failed").isEqualTo(3);
        }
        log = Files.readAllLines(events);
    }

    /** db <- web; broken (fails to start) <- needs; thrower; {@code extra} added to needs' block. */
    private static String clusterFile(String extra) {
        return "name: verified\nservices:\n"
                + "  db:\n" + TestFiles.code("Greeter")
                + "  web:\n    dependsOn: [db]\n" + TestFiles.code("Greeter")
                + "  broken:\n" + TestFiles.code("FailingStart") + "    settings: { url: 'jdbc:nowhere' }\n"
                + "  needs:\n    dependsOn: [broken" + extra + "]\n" + TestFiles.code("Greeter")
                + "  thrower:\n" + TestFiles.code("Thrower");
    }

    private static Path write(String name, List<String> lines, boolean lastNewline) throws IOException {
        String text = String.join("\n", lines) + (lastNewline ? "\n" : "");
        return Files.writeString(dir.resolve(name), text);
    }

    /** A copy of the real log changed by {@code change}, verified. */
    private static Result tampered(String name, UnaryOperator<List<String>> change) throws IOException {
        return Result.of("verify", write(name, change.apply(new ArrayList<>(log)), true).toString());
    }

    private static int indexOf(String service, String event) {
        String wanted = "\"service\":\"" + service + "\",\"event\":\"" + event + "\"";
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).contains(wanted)) {
                return i;
            }
        }
        throw new AssertionError("no " + service + " " + event + " in\n" + String.join("\n", log));
    }

    @Test
    void theRealLogPassesWithAndWithoutItsClusterFile() throws IOException {
        long services = 5;
        Result alone = Result.of("verify", write("real.jsonl", log, true).toString());
        assertThat(alone.status()).as(alone.out() + alone.err()).isZero();
        assertThat(alone.out()).isEqualTo("ok: " + log.size() + " events, " + services + " services" + System.lineSeparator());
        Result withFile = Result.of("verify", dir.resolve("real.jsonl").toString(), "--cluster", cluster.toString());
        assertThat(withFile.status()).as(withFile.out() + withFile.err()).isZero();
        // the run did what the tampering below relies on
        assertThat(log).anySatisfy(l -> assertThat(l).contains("\"event\":\"exception\""));
        assertThat(log.get(indexOf("needs", "created"))).contains("\"dependsOn\":[\"broken\"]");
        assertThat(log).noneSatisfy(l -> assertThat(l).contains("\"service\":\"needs\",\"event\":\"starting\""));
    }

    @Test
    void swappedLinesFailWithSeqAndTheOrderTheyBreak() throws IOException {
        int running = indexOf("db", "running");
        int webStarting = indexOf("web", "starting");
        Result result = tampered("swapped.jsonl", lines -> {
            lines.set(running, log.get(webStarting));
            lines.set(webStarting, log.get(running));
            return lines;
        });
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.out().lines()).anyMatch(l -> l.startsWith("seq: "))
                .anyMatch(l -> l.startsWith("R6: ") && l.contains("web starting while its dependency db is not running"));
    }

    @Test
    void aMissingClosedFailsWithR10AndR7() throws IOException {
        int closed = indexOf("web", "closed");
        Result result = tampered("no-closed.jsonl", lines -> {
            lines.remove(closed);
            return lines;
        });
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.out().lines()).anyMatch(l -> l.startsWith("R7: ") && l.contains("db closing while its dependent web is closing"))
                .anyMatch(l -> l.startsWith("R10: ") && l.contains("web destroyed before its start"));
    }

    @Test
    void aSeqGapFailsWithSeqOnly() throws IOException {
        Result result = tampered("gap.jsonl", lines -> {
            for (int i = 4; i < lines.size(); i++) {
                lines.set(i, lines.get(i).replaceFirst("^\\{\"seq\":" + (i + 1) + ",", "{\"seq\":" + (i + 2) + ","));
            }
            return lines;
        });
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.out().lines().toList()).singleElement().asString().startsWith("seq: seq 6 ").endsWith("(seq 5 is missing)");
    }

    @Test
    void aGarbageLineIsNamed() throws IOException {
        Result result = tampered("garbage.jsonl", lines -> {
            lines.add(3, "}{ garbage");
            return lines;
        });
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.out()).isEqualTo("log: line 4 is not JSON: }{ garbage" + System.lineSeparator());
    }

    @Test
    void aTruncatedLastLineIsReportedNotACrash() throws IOException {
        List<String> cut = new ArrayList<>(log);
        String last = cut.removeLast();
        cut.add(last.substring(0, last.length() / 2));
        Result result = Result.of("verify", write("cut.jsonl", cut, false).toString());
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.out()).startsWith("log: line " + log.size() + " is cut short");
        assertThat(result.out().lines()).hasSize(1);
    }

    @Test
    void aClusterFileWithAnEdgeTheLogDoesNotShowFailsWithGraph() throws IOException {
        Path other = Files.writeString(dir.resolve("extra-edge.yaml"), clusterFile(", db"));
        Result result = Result.of("verify", write("real2.jsonl", log, true).toString(), "--cluster", other.toString());
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.out().lines()).anyMatch(l -> l.startsWith("graph: ")
                && l.contains("needs created depending on [broken] but the cluster file says [broken, db]"));
    }

    @Test
    void aMissingOrUnreadableLogOrAnInvalidClusterFileExitsTwo() throws IOException {
        Result missing = Result.of("verify", dir.resolve("nowhere.jsonl").toString());
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("svc verify: " + dir.resolve("nowhere.jsonl") + ": no such file" + System.lineSeparator());
        assertThat(missing.out()).isEmpty();

        Result yaml = Result.of("verify", cluster.toString());
        assertThat(yaml.status()).isEqualTo(2);
        assertThat(yaml.err()).contains("not an event log");

        Path invalid = Files.writeString(dir.resolve("invalid.yaml"), "name: bad\nservices:\n  a:\n    code: { class: x.A }\n    colour: blue\n");
        Result badFile = Result.of("verify", write("real3.jsonl", log, true).toString(), "--cluster", invalid.toString());
        assertThat(badFile.status()).isEqualTo(2);
        assertThat(badFile.err()).contains(invalid + ":5: services.a.colour");

        assertThat(Result.of("verify").status()).as("no EVENTS").isEqualTo(2);
    }
}
