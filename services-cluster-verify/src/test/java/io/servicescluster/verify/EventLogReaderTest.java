package io.servicescluster.verify;

import static io.servicescluster.verify.Logs.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a log from a file: bad lines are findings that name them, and only a log with no event is unreadable. */
class EventLogReaderTest {

    @TempDir
    Path dir;

    private static final List<String> LINES = Logs.json(log("db created dependsOn=", "web created dependsOn=db",
            "db starting", "db running", "web starting", "web running", "web closing reason=cluster_stopping",
            "web closed", "db closing", "db closed", "web destroyed", "db destroyed"));

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("events.jsonl"), text);
    }

    private EventLogChecker.Verdict verify(String text) throws Exception {
        return EventLogChecker.check(write(text), Optional.empty());
    }

    @Test
    void aRealShapedLogReadsBackIntoItsEvents() throws Exception {
        EventLogChecker.Verdict verdict = verify(String.join("\n", LINES) + "\n");
        assertThat(verdict.violations()).isEmpty();
        assertThat(verdict.events()).isEqualTo(12);
        assertThat(verdict.services()).isEqualTo(2);
        LogEvent created = EventLogReader.read(dir.resolve("events.jsonl")).events().get(1);
        assertThat(created).isEqualTo(new LogEvent(2, 2, "web", "created", "", Optional.empty(), Optional.of(List.of("db"))));
    }

    @Test
    void aTruncatedLastLineIsReportedAndTheRestStillChecked() throws Exception {
        // six events, then db closing under a running web (R7: still found), then half a line
        String text = String.join("\n", LINES.subList(0, 6)) + "\n" + LINES.get(8) + "\n" + LINES.get(6).substring(0, 25);
        EventLogChecker.Verdict verdict = verify(text);
        assertThat(verdict.violations()).extracting(Violation::toString).containsExactly(
                "log: line 8 is cut short (the manager stopped while writing it?): " + LINES.get(6).substring(0, 25),
                "seq: seq 9 (line 7) db closing comes after seq 6 (seq 7 to 8 are missing)",
                "R7: seq 9 (line 7) db closing while its dependent web is running (web starting at seq 5, "
                        + "not closed by the end of the log)");
        assertThat(verdict.events()).isEqualTo(7);
    }

    @Test
    void aCompleteLastLineWithoutItsNewlineIsFine() throws Exception {
        assertThat(verify(String.join("\n", LINES)).violations()).isEmpty();
    }

    @Test
    void garbageOrANonObjectLineInTheMiddleIsAFindingNamingTheLine() throws Exception {
        List<String> lines = new ArrayList<>(LINES);
        lines.add(3, "#$%! not json");
        lines.add(5, "[1, 2]");
        lines.add(6, "{\"seq\":\"x\",\"service\":\"db\",\"event\":\"running\"}");
        lines.add(7, "");
        assertThat(verify(String.join("\n", lines) + "\n").violations()).extracting(Violation::toString).containsExactly(
                "log: line 4 is not JSON: #$%! not json",
                "log: line 6 is not a JSON object: [1, 2]",
                "log: line 7 has no integer seq: {\"seq\":\"x\",\"service\":\"db\",\"event\":\"running\"}",
                "log: line 8 is not JSON: (blank)");
    }

    @Test
    void aMissingFileOrOneWithoutAnyJsonObjectIsUnreadable() throws Exception {
        assertThatThrownBy(() -> EventLogChecker.check(dir.resolve("nowhere.jsonl"), Optional.empty()))
                .isInstanceOf(UnreadableLogException.class).hasMessage(dir.resolve("nowhere.jsonl") + ": no such file");
        assertThatThrownBy(() -> verify("name: shop\nservices:\n  db: {}\n"))
                .isInstanceOf(UnreadableLogException.class).hasMessageEndingWith(": not an event log (no line is a JSON object)");
        Files.write(dir.resolve("binary"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        assertThatThrownBy(() -> EventLogChecker.check(dir.resolve("binary"), Optional.empty()))
                .isInstanceOf(UnreadableLogException.class).hasMessageContaining("not UTF-8");
        assertThatThrownBy(() -> EventLogChecker.check(dir, Optional.empty()))
                .isInstanceOf(UnreadableLogException.class).hasMessageContaining("cannot read it");
    }

    @Test
    void anEmptyLogHasNoEventsAndNoViolations() throws Exception {
        EventLogChecker.Verdict verdict = verify("");
        assertThat(verdict.ok()).isTrue();
        assertThat(verdict.events()).isZero();
    }

    @Test
    void linesCanBeCheckedWithoutAFile() throws Exception {
        assertThat(EventLogChecker.checkLines(LINES, Optional.empty()).ok()).isTrue();
        assertThat(EventLogChecker.checkLines(LINES.subList(1, 12), Optional.empty()).violations())
                .extracting(Violation::rule).contains(Rule.SEQ, Rule.R4);
    }

    @Test
    void eventsFromTheManagersDetailsReadTheSameAsFromItsLines() {
        assertThat(LogEvent.of(2, "c", "created", java.util.Map.of("parent", "p", "dependsOn", List.of("p"))))
                .isEqualTo(new LogEvent(0, 2, "c", "created", "", Optional.of("p"), Optional.of(List.of("p"))));
        assertThat(LogEvent.of(3, "c", "crashed", java.util.Map.of("reason", "process killed", "exitCode", 137L)).reason())
                .isEqualTo("process killed");
    }
}
