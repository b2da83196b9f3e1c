package io.servicescluster.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads an event log (SPEC §5: JSON Lines as the manager's {@code EventLog} writes them) into
 * {@link LogEvent}s. A line that is no event is a {@link Rule#LOG} finding that names it, and the
 * other lines are still read: a log is evidence, and one bad line must not hide the rest. A last
 * line without its newline that does not parse is reported as cut short (a manager killed while
 * writing it). Only a log with no event line at all is unreadable.
 */
public final class EventLogReader {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private EventLogReader() {
    }

    /**
     * The events of a log and the findings about its lines.
     *
     * @param events the lines that are events, in file order
     * @param findings a {@link Rule#LOG} violation per line that is not
     */
    public record ParsedLog(List<LogEvent> events, List<Violation> findings) {
        public ParsedLog {
            events = List.copyOf(events);
            findings = List.copyOf(findings);
        }
    }

    /** Reads the log in {@code file}. */
    public static ParsedLog read(Path file) throws UnreadableLogException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw new UnreadableLogException(file + ": no such file");
        } catch (CharacterCodingException e) {
            throw new UnreadableLogException(file + ": not an event log (not UTF-8 text)");
        } catch (IOException e) {
            throw new UnreadableLogException(file + ": cannot read it: " + e.getMessage());
        }
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        boolean endsWithNewline = lines.getLast().isEmpty();
        if (endsWithNewline) {
            lines.removeLast();
        }
        return parse(lines, !endsWithNewline, file.toString());
    }

    /**
     * Reads lines of a log, each without its newline; {@code lastCut}: the last line had no
     * newline, so a last line that does not parse was cut short.
     */
    public static ParsedLog parse(List<String> lines, boolean lastCut) throws UnreadableLogException {
        return parse(lines, lastCut, "the log");
    }

    private static ParsedLog parse(List<String> lines, boolean lastCut, String name) throws UnreadableLogException {
        List<LogEvent> events = new ArrayList<>(lines.size());
        List<Violation> findings = new ArrayList<>();
        int objects = 0;
        for (int i = 0; i < lines.size(); i++) {
            int number = i + 1;
            Optional<JsonNode> node = json(lines.get(i));
            if (node.isEmpty() || !node.get().isObject()) {
                boolean cut = lastCut && i == lines.size() - 1;
                findings.add(new Violation(Rule.LOG, List.of(), "line " + number + (cut
                        ? " is cut short (the manager stopped while writing it?): " + excerpt(lines.get(i))
                        : node.isEmpty() ? " is not JSON: " + excerpt(lines.get(i)) : " is not a JSON object: "
                                + excerpt(lines.get(i)))));
                continue;
            }
            objects++;
            String problem = problem(node.get());
            if (problem != null) {
                findings.add(new Violation(Rule.LOG, List.of(), "line " + number + " " + problem + ": " + excerpt(lines.get(i))));
            } else {
                events.add(event(number, node.get()));
            }
        }
        if (objects == 0 && !lines.isEmpty()) {
            throw new UnreadableLogException(name + ": not an event log (no line is a JSON object)");
        }
        return new ParsedLog(events, findings);
    }

    private static Optional<JsonNode> json(String line) {
        if (line.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(line));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** What makes a JSON object no event, or null. */
    private static String problem(JsonNode node) {
        if (!node.path("seq").canConvertToExactIntegral()) {
            return "has no integer seq";
        }
        if (!node.path("service").isTextual()) {
            return "has no service";
        }
        if (!node.path("event").isTextual()) {
            return "has no event";
        }
        JsonNode dependsOn = node.path("dependsOn");
        if (!dependsOn.isMissingNode() && !dependsOn.isArray()) {
            return "has a dependsOn that is not an array";
        }
        return null;
    }

    private static LogEvent event(int line, JsonNode node) {
        JsonNode dependsOn = node.path("dependsOn");
        Optional<List<String>> names = Optional.empty();
        if (dependsOn.isArray()) {
            List<String> list = new ArrayList<>(dependsOn.size());
            dependsOn.forEach(n -> list.add(n.asText()));
            names = Optional.of(list);
        }
        JsonNode parent = node.path("parent");
        return new LogEvent(line, node.get("seq").asLong(), node.get("service").asText(), node.get("event").asText(),
                node.path("reason").asText(""), parent.isTextual() ? Optional.of(parent.asText()) : Optional.empty(), names);
    }

    private static String excerpt(String line) {
        String shown = line.length() > 60 ? line.substring(0, 60) + "…" : line;
        return shown.isBlank() ? "(blank)" : shown;
    }
}
