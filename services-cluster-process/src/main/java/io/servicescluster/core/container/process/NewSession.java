package io.servicescluster.core.container.process;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;

/**
 * Starts a service's JVM in a session of its own ({@code setsid}), so that only the manager
 * decides when it ends. Typing Ctrl-C in a terminal sends SIGINT to the whole foreground process
 * group, closing the terminal sends SIGHUP to it, and Ctrl-\ SIGQUIT: a remote in the manager's
 * group would die of them while the manager is still closing the cluster in order (its
 * dependents not yet closed, its {@code close()} never run). In a new session a remote has no
 * controlling terminal at all, and neither has anything it starts.
 *
 * <p>{@code setsid} (util-linux, or busybox) execs the command in place — it forks only when its
 * caller leads a process group, which a child of this JVM never does — so the pid the manager
 * holds stays the JVM's (or the launch shell's, which execs the JVM). Without {@code setsid}
 * on the host, remotes start as before and a warning says what Ctrl-C will do to them.
 */
final class NewSession {

    private static final Optional<Path> SETSID = find();
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private NewSession() {
    }

    /** The command that runs {@code command} in a new session: {@code setsid COMMAND…}. */
    static List<String> wrap(List<String> command) {
        if (SETSID.isEmpty()) {
            if (WARNED.compareAndSet(false, true)) {
                LoggerFactory.getLogger(NewSession.class).warn("setsid was not found on PATH or in /usr/bin: "
                        + "services share the terminal's process group, so Ctrl-C and a closed terminal reach them "
                        + "directly instead of through an orderly close; install util-linux");
            }
            return command;
        }
        List<String> wrapped = new ArrayList<>(command.size() + 1);
        wrapped.add(SETSID.get().toString());
        wrapped.addAll(command);
        return wrapped;
    }

    private static Optional<Path> find() {
        Set<String> folders = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            folders.addAll(List.of(path.split(File.pathSeparator)));
        }
        folders.addAll(List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"));
        return folders.stream().filter(f -> !f.isEmpty()).map(f -> Path.of(f, "setsid"))
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }
}
