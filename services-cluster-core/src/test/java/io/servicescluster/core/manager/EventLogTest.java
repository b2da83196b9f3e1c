package io.servicescluster.core.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event log's file: where it cannot be written, the message says which path and why (svc run prints it). */
class EventLogTest {

    @TempDir
    Path dir;

    /** SPEC §5's {@code time}: UTC to the millisecond, as its example, whatever the clock gave (nanoseconds, or none). */
    @Test
    void timeIsWrittenToTheMillisecond() throws IOException {
        Path path = dir.resolve("events.jsonl");
        try (EventLog log = EventLog.open(path)) {
            log.onEvent(new ServiceEvent(1, Instant.parse("2026-11-24T15:00:00.123456789Z"), "web",
                    ServiceEvent.Type.CREATED, Map.of()));
            log.onEvent(new ServiceEvent(2, Instant.parse("2026-11-24T15:00:01Z"), "web", ServiceEvent.Type.STARTING,
                    Map.of()));
        }
        assertThat(Files.readAllLines(path)).containsExactly(
                "{\"seq\":1,\"time\":\"2026-11-24T15:00:00.123Z\",\"service\":\"web\",\"event\":\"created\"}",
                "{\"seq\":2,\"time\":\"2026-11-24T15:00:01.000Z\",\"service\":\"web\",\"event\":\"starting\"}");
    }

    @Test
    void aFolderInsteadOfTheFileIsNamedWithTheReason() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("events"));
        assertThatThrownBy(() -> EventLog.open(folder))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot write the event log " + folder + ": " + folder + ": Is a directory");
    }

    @Test
    void aFileOnTheWayIsNamedWithTheReason() throws IOException {
        Path file = Files.writeString(dir.resolve("notes"), "");
        Path log = file.resolve("log/events.jsonl");
        assertThatThrownBy(() -> EventLog.open(log))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot write the event log " + log + ": " + file.resolve("log") + ": Not a directory");
    }

    @Test
    void aFolderThatCannotBeMadeIsNamedWithTheReason() {
        Path log = Path.of("/proc/no-such-folder/events.jsonl");
        assertThatThrownBy(() -> EventLog.open(log))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot write the event log " + log + ": /proc/no-such-folder: ");
    }
}
