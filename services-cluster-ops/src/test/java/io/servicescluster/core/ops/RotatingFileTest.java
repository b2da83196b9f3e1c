package io.servicescluster.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RotatingFile}: sizes bounded, count bounded, newest in FILE, then FILE.1, FILE.2. */
class RotatingFileTest {

    @TempDir
    Path dir;

    private static byte[] line(int n) {
        return String.format("line %04d%n", n).getBytes(StandardCharsets.UTF_8); // 10 bytes
    }

    @Test
    void rotatesWhenTheNextLineWouldNotFitAndKeepsOnlyTheNewestFiles() throws IOException {
        Path log = dir.resolve("logs/a.out.log");
        try (RotatingFile file = new RotatingFile(log, 100, 2)) {
            for (int i = 1; i <= 55; i++) {
                file.write(line(i));
            }
        }
        try (Stream<Path> files = Files.list(log.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("a.out.log", "a.out.log.1", "a.out.log.2");
        }
        assertThat(Files.readAllLines(log.resolveSibling("a.out.log.2"))).first().isEqualTo("line 0031");
        assertThat(Files.readAllLines(log.resolveSibling("a.out.log.1"))).hasSize(10).first().isEqualTo("line 0041");
        assertThat(Files.readAllLines(log)).containsExactly("line 0051", "line 0052", "line 0053", "line 0054", "line 0055");
        for (String name : List.of("a.out.log", "a.out.log.1", "a.out.log.2")) {
            assertThat(Files.size(log.resolveSibling(name))).isLessThanOrEqualTo(100);
        }
    }

    @Test
    void appendsToAnExistingFileAndCountsItsSize() throws IOException {
        Path log = dir.resolve("b.log");
        Files.write(log, "x".repeat(95).getBytes(StandardCharsets.UTF_8));
        try (RotatingFile file = new RotatingFile(log, 100, 1)) {
            assertThat(file.size()).isEqualTo(95);
            file.write(line(1));
        }
        assertThat(Files.size(log.resolveSibling("b.log.1"))).isEqualTo(95);
        assertThat(Files.readAllLines(log)).containsExactly("line 0001");
    }

    @Test
    void cutsALineLongerThanTheLimitAndKeepsNothingWithZeroKeptFiles() throws IOException {
        Path log = dir.resolve("c.log");
        try (RotatingFile file = new RotatingFile(log, 50, 0)) {
            file.write(("y".repeat(200) + "\n").getBytes(StandardCharsets.UTF_8));
            file.write(line(2));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(log);
        }
        assertThat(Files.readAllLines(log)).containsExactly("line 0002");
    }

    @Test
    void writerNotesDroppedLinesOnceThereIsRoomAgain() throws Exception {
        LogWriter writer = new LogWriter(dir, LogSettings.DEFAULT.withQueueLines(3), false);
        for (int i = 1; i <= 10; i++) {
            writer.text("d.log", "message " + i);
        }
        assertThat(writer.pendingDrops("d.log")).isEqualTo(7);
        writer.start();
        org.awaitility.Awaitility.await().until(() -> writer.pendingDrops("d.log") == 0);
        writer.text("d.log", "message 11");
        writer.close();
        List<String> lines = Files.readAllLines(dir.resolve("d.log"));
        List<String> texts = new ArrayList<>();
        for (String l : lines) {
            assertThat(l).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z .*");
            texts.add(l.substring(28));
        }
        assertThat(texts).containsExactly("message 1", "message 2", "message 3",
                "[svc] 7 lines dropped: written faster than the log could take them", "message 11");
        assertThat(writer.pendingDrops("d.log")).isZero();
    }

    @Test
    void writerRotatesItsFilesAndWritesRawLinesAsTheyAre() throws Exception {
        LogWriter writer = new LogWriter(dir, LogSettings.DEFAULT.withMaxFileBytes(1024).withKeptFiles(1));
        for (int i = 0; i < 100; i++) {
            writer.raw("e.jsonl", "{\"n\":" + i + ",\"pad\":\"" + "z".repeat(40) + "\"}");
        }
        writer.close();
        assertThat(Files.size(dir.resolve("e.jsonl"))).isLessThanOrEqualTo(1024);
        assertThat(Files.size(dir.resolve("e.jsonl.1"))).isLessThanOrEqualTo(1024);
        assertThat(dir.resolve("e.jsonl.2")).doesNotExist();
        assertThat(Files.readAllLines(dir.resolve("e.jsonl"))).last().asString().startsWith("{\"n\":99,");
    }
}
