package io.servicescluster.verify;

/** The file is no event log at all: missing, unreadable, or without a single JSON object line. */
public final class UnreadableLogException extends Exception {

    private static final long serialVersionUID = 1L;

    public UnreadableLogException(String message) {
        super(message);
    }
}
