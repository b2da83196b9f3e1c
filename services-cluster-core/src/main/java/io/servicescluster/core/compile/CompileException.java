package io.servicescluster.core.compile;

/**
 * A source that does not compile (its message lists each error as javac does, with the line and
 * a caret), or that cannot be compiled here (no public class, no compiler in this Java runtime).
 * The message is for the user, whole: it becomes the reason of a {@code failed} event.
 */
public final class CompileException extends Exception {

    public CompileException(String message) {
        super(message);
    }
}
