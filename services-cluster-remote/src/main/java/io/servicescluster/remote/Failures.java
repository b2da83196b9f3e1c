package io.servicescluster.remote;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Text helpers for failures that travel to the controller. */
final class Failures {

    /** Longest failure text sent in one message, in characters; far below the frame limit. */
    static final int MAX_TEXT = 1024 * 1024;

    private Failures() {
    }

    /** The full stack trace of {@code failure}, causes and suppressed included, as {@code printStackTrace} prints it. */
    static String stackTrace(Throwable failure) {
        StringWriter text = new StringWriter(1024);
        try (PrintWriter out = new PrintWriter(text)) {
            failure.printStackTrace(out);
        }
        return truncate(text.toString());
    }

    /** {@code text} cut to {@link #MAX_TEXT} characters, with a note saying how much was cut. */
    static String truncate(String text) {
        if (text.length() <= MAX_TEXT) {
            return text;
        }
        return text.substring(0, MAX_TEXT) + "\n[... " + (text.length() - MAX_TEXT) + " characters cut]";
    }
}
