package io.servicescluster.clusterfile;

import java.util.List;
import java.util.Map;

/** A YAML value with the line it starts on, as read by {@link YamlReader}. */
sealed interface YamlNode {

    /** The line the value starts on, from 1. */
    int line();

    /** What this is, for messages: "a map", "a list", "a string ('x')", "an empty value", … */
    String describe();

    /** A key of a map, with its line, and its value. */
    record Entry(String key, int line, YamlNode value) {
    }

    /** A map, its entries in file order; a duplicate key is reported and left out. */
    record MapNode(int line, Map<String, Entry> entries) implements YamlNode {
        @Override
        public String describe() {
            return "a map";
        }
    }

    /** A list. */
    record ListNode(int line, List<YamlNode> items) implements YamlNode {
        @Override
        public String describe() {
            return "a list";
        }
    }

    /** A scalar: its kind as YAML resolved it, and its text as written. */
    record Scalar(int line, Kind kind, String text) implements YamlNode {

        /** How YAML resolved a scalar. */
        enum Kind { STRING, INTEGER, DECIMAL, TRUE, FALSE, NULL }

        @Override
        public String describe() {
            return switch (kind) {
                case STRING -> "a string ('" + text + "')";
                case INTEGER, DECIMAL -> "a number (" + text + ")";
                case TRUE, FALSE -> "a boolean (" + text + ")";
                case NULL -> "an empty value";
            };
        }
    }
}
