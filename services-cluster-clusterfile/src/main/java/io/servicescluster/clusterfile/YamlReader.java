package io.servicescluster.clusterfile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.servicescluster.clusterfile.YamlNode.Entry;
import io.servicescluster.clusterfile.YamlNode.ListNode;
import io.servicescluster.clusterfile.YamlNode.MapNode;
import io.servicescluster.clusterfile.YamlNode.Scalar;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads one YAML document into {@link YamlNode}s with their lines, from Jackson's token stream.
 * Reports duplicate keys and aliases and goes on; a syntax error ends the reading.
 */
final class YamlReader {

    private static final YAMLFactory FACTORY = new YAMLFactory();
    private static final Pattern MARK = Pattern.compile("^ in 'reader', line (\\d+), column \\d+:", Pattern.MULTILINE);

    private final YAMLParser parser;
    private final ProblemList problems;
    private String key = "";           // the key of the value being read
    private String lastKey = "";       // the last key read, and its line: where a syntax error most likely is
    private int lastKeyLine;

    private YamlReader(YAMLParser parser, ProblemList problems) {
        this.parser = parser;
        this.problems = problems;
    }

    /**
     * The document in {@code yaml}, or empty if it is empty or cannot be read; problems go to
     * {@code problems}.
     */
    static Optional<YamlNode> read(String yaml, ProblemList problems) {
        YamlReader reader = null;
        try (YAMLParser parser = FACTORY.createParser(yaml)) {
            reader = new YamlReader(parser, problems);
            return reader.document();
        } catch (JsonProcessingException e) {
            int line = errorLine(e, yaml.lines().count());
            problems.add(line, reader == null ? "" : reader.keyAt(line), "YAML syntax error: "
                    + describe(e.getOriginalMessage()));
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("reading from a string failed", e);
        }
    }

    private Optional<YamlNode> document() throws IOException {
        JsonToken first = parser.nextToken();
        if (first == null || first == JsonToken.VALUE_NULL) {
            problems.add(1, "", "the file is empty: expected a map with 'name' and 'services'");
            return Optional.empty();
        }
        YamlNode root = value(first);
        if (parser.nextToken() != null) {
            problems.add(line(), "", "more than one YAML document: a cluster file holds one");
        }
        return Optional.of(root);
    }

    private YamlNode value(JsonToken token) throws IOException {
        int line = line();
        return switch (token) {
            case START_OBJECT -> map(line);
            case START_ARRAY -> list(line);
            case VALUE_STRING -> scalar(line, Scalar.Kind.STRING);
            case VALUE_NUMBER_INT -> scalar(line, Scalar.Kind.INTEGER);
            case VALUE_NUMBER_FLOAT -> scalar(line, Scalar.Kind.DECIMAL);
            case VALUE_TRUE -> scalar(line, Scalar.Kind.TRUE);
            case VALUE_FALSE -> scalar(line, Scalar.Kind.FALSE);
            case VALUE_NULL -> new Scalar(line, Scalar.Kind.NULL, "");
            default -> throw new AssertionError("unexpected YAML token " + token + " at line " + line);
        };
    }

    private Scalar scalar(int line, Scalar.Kind kind) throws IOException {
        if (parser.isCurrentAlias()) {
            problems.add(line, key, "YAML aliases (*" + parser.getText() + ") are not supported: write the value out");
        }
        return new Scalar(line, kind, parser.getText());
    }

    private MapNode map(int line) throws IOException {
        String parent = key;
        var entries = new LinkedHashMap<String, Entry>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            int keyLine = line();
            String entryKey = parent.isEmpty() ? name : parent + "." + name;
            key = entryKey;
            lastKey = entryKey;
            lastKeyLine = keyLine;
            YamlNode value = value(parser.nextToken());
            key = parent;
            Entry first = entries.get(name);
            if (first == null) {
                entries.put(name, new Entry(name, keyLine, value));
            } else {
                problems.add(keyLine, entryKey, "duplicate key (first at line " + first.line() + ")");
            }
        }
        key = parent;
        return new MapNode(line, entries);
    }

    private ListNode list(int line) throws IOException {
        String parent = key;
        var items = new ArrayList<YamlNode>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            key = parent + "[" + items.size() + "]";
            items.add(value(token));
            key = parent;
        }
        key = parent;
        return new ListNode(line, items);
    }

    /** The key a syntax error on {@code line} is about: the last key if on that line, else the enclosing one. */
    private String keyAt(int line) {
        return line == lastKeyLine ? lastKey : key;
    }

    private int line() {
        return Math.max(1, parser.currentTokenLocation().getLineNr());
    }

    /**
     * The line SnakeYAML marks as the problem, or the line of its context ("while scanning a quoted
     * scalar") when the problem is the end of the file.
     */
    private static int errorLine(JsonProcessingException e, long lines) {
        var marks = new ArrayList<Integer>();
        var matcher = MARK.matcher(e.getOriginalMessage());
        while (matcher.find()) {
            marks.add(Integer.parseInt(matcher.group(1)));
        }
        int fallback = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNr());
        if (marks.isEmpty()) {
            return fallback;
        }
        int problem = marks.getLast();
        if (problem <= lines) {
            return problem;
        }
        return marks.size() > 1 ? marks.getFirst() : fallback;
    }

    /** SnakeYAML's message without its "in 'reader', line …" marks and source excerpts. */
    private static String describe(String message) {
        var lines = message.lines().toList();
        var kept = new ArrayList<String>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(" in 'reader'")) {
                i += 2;    // the excerpt and the caret under it
            } else if (!lines.get(i).isBlank()) {
                kept.add(lines.get(i).strip());
            }
        }
        return kept.isEmpty() ? message.strip() : kept.stream().collect(Collectors.joining("; "));
    }
}
