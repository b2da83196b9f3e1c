package io.servicescluster.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Hand-written logs for the tests: one event a string, {@code SERVICE EVENT [key=value]…}, seq
 * numbered from 1 in order; {@code dependsOn=a,b} (or {@code dependsOn=} for none), {@code parent=p},
 * {@code reason=words_with_underscores}.
 */
final class Logs {

    private Logs() {
    }

    static List<LogEvent> log(String... events) {
        List<LogEvent> log = new ArrayList<>();
        for (String event : events) {
            log.add(event(log.size() + 1, event));
        }
        return log;
    }

    static LogEvent event(long seq, String text) {
        String[] words = text.trim().split(" +");
        String reason = "";
        Optional<String> parent = Optional.empty();
        Optional<List<String>> dependsOn = Optional.empty();
        for (String word : Arrays.asList(words).subList(2, words.length)) {
            String key = word.substring(0, word.indexOf('='));
            String value = word.substring(word.indexOf('=') + 1);
            switch (key) {
                case "reason" -> reason = value.replace('_', ' ');
                case "parent" -> parent = Optional.of(value);
                case "dependsOn" -> dependsOn = Optional.of(value.isEmpty() ? List.of() : List.of(value.split(",")));
                default -> throw new IllegalArgumentException(word);
            }
        }
        return new LogEvent((int) seq, seq, words[0], words[1], reason, parent, dependsOn);
    }

    /** The same log as JSON lines, as the manager writes it. */
    static List<String> json(List<LogEvent> log) {
        return log.stream().map(Logs::json).toList();
    }

    static String json(LogEvent e) {
        StringBuilder line = new StringBuilder("{\"seq\":" + e.seq() + ",\"time\":\"2026-11-24T15:00:00.123Z\",\"service\":\""
                + e.service() + "\",\"event\":\"" + e.event() + "\"");
        if (!e.reason().isEmpty()) {
            line.append(",\"reason\":\"").append(e.reason()).append('"');
        }
        e.parent().ifPresent(p -> line.append(",\"parent\":\"").append(p).append('"'));
        e.dependsOn().ifPresent(d -> line.append(",\"dependsOn\":[")
                .append(String.join(",", d.stream().map(n -> "\"" + n + "\"").toList())).append(']'));
        return line.append('}').toString();
    }
}
