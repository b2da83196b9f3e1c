package io.servicescluster.core.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One error in a cluster file: where it is and what is wrong.
 *
 * @param file the cluster file, as it was named to the parser
 * @param line the line, from 1; 0 when the problem is about the whole file (it cannot be read)
 * @param key the dotted path of the key, such as {@code services.orders.restart.within}; empty when
 *        the problem is about the whole document
 * @param message what is wrong, in words a user can act on
 */
public record Problem(Path file, int line, String key, String message) {

    /** Checks that nothing is null and the line is not negative. */
    public Problem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message");
        if (line < 0) {
            throw new IllegalArgumentException("line must not be negative: " + line);
        }
    }

    /** {@code file:line: key: message}, leaving out the line when it is 0 and the key when it is empty. */
    @Override
    public String toString() {
        var out = new StringBuilder().append(file);
        if (line > 0) {
            out.append(':').append(line);
        }
        out.append(": ");
        if (!key.isEmpty()) {
            out.append(key).append(": ");
        }
        return out.append(message).toString();
    }
}
