package io.servicescluster.testing;

import static org.junit.jupiter.api.Assumptions.abort;

import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.process.HostTools;
import io.servicescluster.testing.services.SandboxProbe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers for the tests of the process container's sandbox and limits (R15). */
public final class Sandboxes {

    private Sandboxes() {
    }

    /** A service running {@link SandboxProbe}; add settings to choose what it tries. */
    public static ServiceSpec.Builder probe(String name) {
        return ServiceSpec.builder(name).code(CodeSpec.ofClass(SandboxProbe.class.getName(), TestClusters.testClasses()));
    }

    /**
     * Skips the calling test, loudly, where bubblewrap is not installed. On a machine set up by
     * {@code .ci/run} it is, and the test runs.
     */
    public static void requireBubblewrap() {
        if (HostTools.detect().findBubblewrap().isEmpty()) {
            skipLoudly("bubblewrap (bwrap) is not installed: apt-get install bubblewrap");
        }
    }

    /** Skips the calling test, loudly, where this JVM cannot make cgroup v1 memory and cpu groups. */
    public static void requireCgroups() {
        Path root = HostTools.detect().cgroupRoot();
        if (Files.exists(root.resolve("cgroup.controllers"))) {
            return; // v2: the manager reports what is missing itself, the test will show it
        }
        for (String controller : List.of("memory", "cpu")) {
            if (!Files.isWritable(root.resolve(controller))) {
                skipLoudly("no writable cgroup v1 '" + controller + "' controller at " + root
                        + " (run the tests as root on a host with cgroups)");
            }
        }
    }

    /** Whether this JVM (the manager of in-process tests) runs as root. */
    public static boolean managerIsRoot() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Skips the calling test, loudly, where this JVM cannot make cgroup pids groups. */
    public static void requirePidsCgroup() {
        Path root = HostTools.detect().cgroupRoot();
        if (!Files.exists(root.resolve("cgroup.controllers")) && !Files.isWritable(root.resolve("pids"))) {
            skipLoudly("no writable cgroup v1 'pids' controller at " + root + " (run the tests as root)");
        }
    }

    /** Skips the calling test, loudly, where this JVM cannot loop-mount a file system image (resources.disk). */
    public static void requireLoopMounts() {
        if (!managerIsRoot() || !Files.isWritable(Path.of("/dev/loop-control"))) {
            skipLoudly("resources.disk needs root and loop devices (/dev/loop-control)");
        }
    }

    /** Skips the calling test, loudly, where this JVM is not root: it starts a manager as another user. */
    public static void requireRootToRunAsAnotherUser() {
        if (!managerIsRoot()) {
            skipLoudly("starting a manager as another user (setpriv) needs the tests to run as root");
        }
    }

    private static void skipLoudly(String why) {
        String message = "SKIPPED, R15 enforcement NOT TESTED: " + why;
        System.err.println("!".repeat(100) + "\n" + message + "\n" + "!".repeat(100));
        abort(message);
    }

    /** The probe's report ({@code KIND TARGET} → {@code ok …}/{@code failed …}), or empty if none yet. */
    public static Map<String, String> report(Path stateDir, String service) {
        Path file = ServiceProcesses.workDir(stateDir, service).resolve("report.txt");
        Map<String, String> report = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return report;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                int colon = line.indexOf(": ");
                if (colon > 0) {
                    report.put(line.substring(0, colon), line.substring(colon + 2));
                } else {
                    report.put(line, "");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return report;
    }
}
