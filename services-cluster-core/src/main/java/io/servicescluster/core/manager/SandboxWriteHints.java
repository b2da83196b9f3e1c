package io.servicescluster.core.manager;

import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.ServiceContainer;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a write the sandbox refused into words a user can act on. A sandboxed service sees the
 * host's file system read-only but for its work directory, its {@code java.io.tmpdir} and its
 * {@code files.write} paths; a write anywhere else fails with the kernel's bare "Read-only file
 * system", which names neither the cause nor the fix. Where a report of the service — an output
 * line (a logged stack trace), a failed start's reason, an uncaught exception — shows such a
 * failure, this says which path is not in {@code permissions.files.write} of which service.
 *
 * <p>One instance per start of a service; each path is explained once per start, however often
 * the service retries it. Thread-safe: output and lifecycle reports arrive on different threads.
 */
final class SandboxWriteHints {

    /**
     * The JDK's two forms: {@code FileSystemException: /a/b: Read-only file system} (NIO) and
     * {@code FileNotFoundException: /a/b (Read-only file system)} (java.io); an absolute path
     * with no spaces, starting the text or after a space, colon or parenthesis (so that the end of
     * a relative path or of a path with spaces is never taken for a path of its own). {@code
     * File.createNewFile} and friends give the bare text without a path.
     */
    private static final Pattern REFUSED = Pattern.compile(
            "(?:(?<![^\\s:(])(/[^\\s:()]*)(?:: | \\())?Read-only file system");
    private static final String NO_PATH = "";

    private final String service;
    private final List<Path> writable;
    private final Set<String> explained = ConcurrentHashMap.newKeySet();

    SandboxWriteHints(String service, List<Path> writable) {
        this.service = service;
        this.writable = writable;
    }

    /**
     * Hints for a start of {@code spec} in a container that {@linkplain ServiceContainer#confinesWrites
     * confines its writes}; none otherwise (then such failures are not the container's doing).
     */
    static Optional<SandboxWriteHints> of(ServiceSpec spec, ServiceContainer container) {
        return container.confinesWrites()
                ? Optional.of(new SandboxWriteHints(spec.name(), spec.permissions().writePaths()))
                : Optional.empty();
    }

    /**
     * The hint (a sentence without a prefix) for {@code text} if it shows a write the sandbox
     * refused that was not explained yet in this start; empty otherwise.
     */
    Optional<String> explain(String text) {
        if (text == null || !text.contains("Read-only file system")) {
            return Optional.empty();
        }
        Matcher matcher = REFUSED.matcher(text);
        while (matcher.find()) {
            String path = matcher.group(1) == null ? NO_PATH : matcher.group(1);
            if (!path.isEmpty() && isWritable(path)) {
                continue; // refused for another reason (a read-only mount the user made): not ours to explain
            }
            if (explained.add(path)) {
                return Optional.of(hint(path));
            }
        }
        return Optional.empty();
    }

    private boolean isWritable(String path) {
        try {
            Path target = Path.of(path).normalize();
            return writable.stream().anyMatch(target::startsWith);
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private String hint(String path) {
        String what = path.isEmpty() ? "a write was refused: the path is" : path + " is";
        return what + " not in permissions.files.write of '" + service
                + "' (a sandboxed service may write only there, in its work directory and in its java.io.tmpdir; "
                + "everything else is read-only)";
    }
}
