package io.servicescluster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.cli.SvcRun.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Log files under a service that prints as fast as it can: they rotate, stay bounded, and note drops. */
class LogRotationTest {

    private static final long SIZE = 64 * 1024;
    private static final Pattern LINE = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z line (\\d{9}) x{80}");
    private static final Pattern DROPPED = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z \\[svc] (\\d+) lines dropped: .*");

    @TempDir
    Path dir;

    @Test
    void aNoisyServicesLogRotatesKeepsTheCountAndSizeBoundedAndStaysInOrder() throws Exception {
        Path file = TestFiles.write(dir, "name: noisy\nservices:\n  chatty:\n" + TestFiles.code("Chatty"));
        Path logs = dir.resolve(".svc/noisy/logs");
        try (SvcRun run = SvcRun.start(dir, false, file.toString(), "--log-size", "64k", "--log-files", "2")) {
            // enough output for several rotations beyond the two kept files
            await().atMost(SvcRun.WAIT).untilAsserted(() -> {
                assertThat(run.process().isAlive()).as(run.stderr()).isTrue();
                assertThat(logs.resolve("chatty.out.log.2")).exists();
                assertThat(lastNumber(logs.resolve("chatty.out.log"))).isGreaterThan(8 * SIZE / 125);
            });
            assertThat(Result.of("stop", "--cluster", file.toString()).status()).isZero();
            assertThat(run.process().waitFor()).isZero();
        }

        try (Stream<Path> files = Files.list(logs)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("chatty.out")))
                    .containsExactlyInAnyOrder("chatty.out.log", "chatty.out.log.1", "chatty.out.log.2");
        }
        long previous = -1;
        long dropped = 0;
        for (String name : List.of("chatty.out.log.2", "chatty.out.log.1", "chatty.out.log")) {
            Path log = logs.resolve(name);
            assertThat(Files.size(log)).as(name).isLessThanOrEqualTo(SIZE);
            for (String line : Files.readAllLines(log)) {
                Matcher text = LINE.matcher(line);
                Matcher drop = DROPPED.matcher(line);
                if (line.contains(" [svc] --- ")) {
                    continue; // the separator of a run
                }
                if (drop.matches()) {
                    dropped += Long.parseLong(drop.group(1));
                    continue;
                }
                assertThat(text.matches()).as("%s: %s", name, line).isTrue();
                long number = Long.parseLong(text.group(1));
                assertThat(number).as("lines in order, each once").isGreaterThan(previous);
                previous = number;
            }
        }
        // lines lost between the kept files are either rotated away or dropped and counted: never silently
        System.out.println("noisy service: last line " + previous + ", " + dropped + " lines reported dropped");
        assertThat(previous).isGreaterThan(0);
    }

    private static long lastNumber(Path log) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        List<String> lines = Files.readAllLines(log);
        for (int i = lines.size() - 1; i >= 0; i--) {
            Matcher m = LINE.matcher(lines.get(i));
            if (m.matches()) {
                return Long.parseLong(m.group(1));
            }
        }
        return 0;
    }
}
