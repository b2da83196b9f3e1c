package io.servicescluster.core.container.process;

import io.servicescluster.core.compile.CompilerSandbox;
import io.servicescluster.core.container.support.ServiceUids;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process kind's sandbox around the compiler of a source sent by a service (core's {@code
 * ConfinedCompiler}): bubblewrap as for a service ({@link Sandbox#compiler}), with less in sight
 * than any service gets — no network, no work directory, only the JVM and the class paths — and,
 * under a root manager, the user {@code nobody} (65534), which owns no file. Found by the core
 * with {@link java.util.ServiceLoader}. Where bubblewrap (or, under root, {@code setpriv}) is
 * missing, the compiler runs unconfined, still bounded in time and memory: said once.
 */
public final class ProcessCompilerSandbox implements CompilerSandbox {

    /** {@code nobody}/{@code nogroup} on Debian, Ubuntu, Fedora and Alpine alike. */
    static final ServiceUids.Identity NOBODY = new ServiceUids.Identity(65534, 65534);

    private static final Logger log = LoggerFactory.getLogger(ProcessCompilerSandbox.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    @Override
    public Optional<List<String>> confine(List<String> command, Path java, List<Path> readable) {
        HostTools tools = HostTools.detect();
        Optional<Path> bwrap = tools.findBubblewrap();
        boolean root = ServiceUids.managerIsRoot();
        Optional<Path> setpriv = root ? tools.findSetpriv() : Optional.of(Path.of(HostTools.SETPRIV));
        if (bwrap.isEmpty() || setpriv.isEmpty()) {
            if (WARNED.compareAndSet(false, true)) {
                log.warn("the compiler of sources sent by services runs unconfined (bounded in time and memory only): "
                        + "{} not found (docs/security.md)", bwrap.isEmpty() ? "bubblewrap (bwrap)" : "setpriv");
            }
            return Optional.empty();
        }
        List<String> confined = new ArrayList<>(Sandbox.compiler(bwrap.get(), setpriv.get(), java, readable,
                root ? Optional.of(NOBODY) : Optional.empty()));
        confined.addAll(command);
        return Optional.of(confined);
    }
}
