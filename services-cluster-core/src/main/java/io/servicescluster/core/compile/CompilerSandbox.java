package io.servicescluster.core.compile;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * SPI: confines the compiler process of a source sent by a service ({@link ConfinedCompiler}).
 * The core has no sandbox of its own (it makes no OS calls); the process container kind provides
 * one, found with {@link java.util.ServiceLoader}. javac runs with {@code -proc:none}, so no
 * code of the source runs in it: the sandbox is a second wall around javac's own bugs.
 */
public interface CompilerSandbox {

    /**
     * The command line that runs {@code command} confined: no network, no other process in
     * sight, no capability, not the manager's user where the manager is root, and nothing of the
     * file system but what a JVM needs and {@code readable}, read-only.
     *
     * @param command the compiler's {@code java} command line
     * @param java its {@code java} executable
     * @param readable what it reads: its own class path and the one the source is compiled against
     * @return empty if this host cannot confine it (the implementation says why in its log, once)
     */
    Optional<List<String>> confine(List<String> command, Path java, List<Path> readable);
}
