package io.servicescluster.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Helpers for tests that launch real JVMs. */
public final class Processes {

    private Processes() {
    }

    /** A {@code java} command line running {@code mainClass} on this test JVM's class path. */
    public static List<String> java(String mainClass, String... args) {
        return java(classPath(), mainClass, args);
    }

    /** This test JVM's class path, each entry. */
    public static List<Path> classPath() {
        String classpath = System.getProperty("java.class.path");
        if (!classpath.contains(java.io.File.pathSeparator) && classpath.contains("surefire")) {
            throw new IllegalStateException("surefire hid the class path in a manifest-only jar: " + classpath);
        }
        return java.util.Arrays.stream(classpath.split(java.io.File.pathSeparator)).map(Path::of).toList();
    }

    /** A {@code java} command line running {@code mainClass} on {@code classPath}. */
    public static List<String> java(List<Path> classPath, String mainClass, String... args) {
        String classpath = String.join(java.io.File.pathSeparator, classPath.stream().map(Path::toString).toList());
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classpath, mainClass));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Whether process {@code pid} has ended: it no longer exists, or it is a zombie (it exited and
     * only waits for whoever adopted it to reap it).
     */
    public static boolean gone(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (Files.isDirectory(Path.of("/proc/self"))) {
            try {
                String text = Files.readString(stat);
                // "pid (comm) S ...": the state follows the last ')'
                char state = text.charAt(text.lastIndexOf(')') + 2);
                return state == 'Z' || state == 'X';
            } catch (NoSuchFileException e) {
                return true;
            } catch (IOException e) {
                return !Files.exists(stat);
            }
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        return handle.isEmpty() || !handle.get().isAlive();
    }

    /** Kills {@code pid} and everything it started, if still there; never throws. */
    public static void killTree(long pid) {
        ProcessHandle.of(pid).ifPresent(handle -> {
            handle.descendants().forEach(ProcessHandle::destroyForcibly);
            handle.destroyForcibly();
        });
    }
}
