package io.servicescluster.core.compile;

import io.servicescluster.api.Service;
import io.servicescluster.protocol.ConnectionPorts;
import io.servicescluster.protocol.ControlMessage.ClassFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles a source sent by a service in a JVM of its own ({@link CompilerMain}), never in the
 * manager's: a compile bomb (nested poly expressions whose inference is exponential, a source that
 * makes javac allocate gigabytes) costs that process, which has {@link ServiceSourceBounds#heapBytes()}
 * of heap ({@code -XX:+ExitOnOutOfMemoryError}) and is killed, with what it started, after {@link
 * ServiceSourceBounds#timeout()}. Its environment is empty (no {@code JAVA_TOOL_OPTIONS}, none of
 * the manager's variables); its answer is read up to the control frame limit. Where a {@link
 * CompilerSandbox} is installed (the process container kind's), it runs in that sandbox.
 *
 * <p>The price: a JVM start and a cold javac per compilation (the cache in front of it makes that
 * once per source and machine). Thread-safe; each call blocks its thread until the answer or the
 * deadline.
 */
final class ConfinedCompiler {

    private static final Logger log = LoggerFactory.getLogger(ConfinedCompiler.class);
    /** The exit status of {@code -XX:+ExitOnOutOfMemoryError}. */
    private static final int OUT_OF_MEMORY = 3;
    private static final int MAX_STDERR = 8 * 1024;

    private final ServiceSourceBounds bounds;
    private final Optional<CompilerSandbox> sandbox;
    private final AtomicLong compilations = new AtomicLong();

    ConfinedCompiler(ServiceSourceBounds bounds) {
        this.bounds = bounds;
        this.sandbox = ServiceLoader.load(CompilerSandbox.class, ConfinedCompiler.class.getClassLoader()).findFirst();
    }

    ServiceSourceBounds bounds() {
        return bounds;
    }

    /** How many sources this compiled (cache hits do not count). */
    long compilations() {
        return compilations.get();
    }

    /**
     * The same contract as {@link JavacCompiler#compile}, within the bounds; the compiler process
     * is killed as soon as {@code unwanted} completes (the service it was for stopped, its
     * manager closed), so that it does not work on for nobody until its deadline.
     */
    CompiledSource compile(String source, String sourceName, List<Path> classpath, CompletableFuture<?> unwanted)
            throws CompileException {
        compilations.incrementAndGet();
        List<String> command = command(classpath);
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().clear();
            process = builder.start();
        } catch (IOException e) {
            throw new CompileException("compiling " + sourceName + " failed: cannot start the compiler process: " + e);
        }
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> tail(process.getErrorStream()),
                task -> Thread.ofVirtual().name("svc-compile-err").start(task));
        try {
            // the request is written and the answer read on threads of their own, so that the
            // deadline below holds whatever the process does
            CompletableFuture<byte[]> answer = CompletableFuture.supplyAsync(
                    () -> exchange(process, source, sourceName, classpath),
                    task -> Thread.ofVirtual().name("svc-compile-io").start(task));
            if (!ended(process, unwanted)) {
                throw new CompileException("compiling " + sourceName + " abandoned: javac was still at work after "
                        + bounds.timeout().toMillis() + " ms, the most a source sent by a service may take (its "
                        + "compiler process was killed; docs/security.md)");
            }
            if (process.isAlive()) {
                throw new CompileException("compiling " + sourceName + " abandoned: no longer wanted (its service "
                        + "stopped; the compiler process was killed)");
            }
            if (process.exitValue() == OUT_OF_MEMORY) {
                throw new CompileException("compiling " + sourceName + " abandoned: javac needed more than the "
                        + (bounds.heapBytes() >> 20) + " MiB of memory a source sent by a service may take "
                        + "(docs/security.md)");
            }
            return decode(answer.get(5, TimeUnit.SECONDS), sourceName, process.exitValue(), stderr);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompileException("compiling " + sourceName + " interrupted");
        } catch (ExecutionException | TimeoutException e) {
            throw failed(sourceName, "gave no answer (" + (e.getCause() != null ? e.getCause() : e) + ")"
                    + ended(process), stderr);
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** Whether the process ended, or {@code unwanted} completed, before the deadline. */
    private boolean ended(Process process, CompletableFuture<?> unwanted) throws InterruptedException {
        try {
            CompletableFuture.anyOf(process.onExit(), unwanted).get(bounds.timeout().toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException | CancellationException e) {
            return true; // unwanted failed or was cancelled: wanted no longer
        }
    }

    private static CompiledSource decode(byte[] answer, String sourceName, int exit, CompletableFuture<String> stderr)
            throws CompileException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(answer))) {
            int status = in.readUnsignedByte();
            byte[] body = in.readNBytes(in.readInt());
            if (status == 1) {
                throw new CompileException(new String(body, StandardCharsets.UTF_8));
            }
            Optional<CompiledSource> compiled = ClassesForm.decode(body);
            if (status == 0 && compiled.isPresent()) {
                return compiled.get();
            }
        } catch (IOException e) {
            // an incomplete answer: said below
        }
        throw failed(sourceName, "ended with exit status " + exit + " and no whole answer", stderr);
    }

    /** The failure of a compiler process that did not answer, with what it wrote to stderr (a sandbox's complaint). */
    private static CompileException failed(String sourceName, String what, CompletableFuture<String> stderr) {
        String complaint = stderr.completeOnTimeout("", 1, TimeUnit.SECONDS).join().strip();
        return new CompileException("compiling " + sourceName + " failed: the compiler process " + what
                + (complaint.isEmpty() ? "" : ": " + complaint));
    }

    private static String ended(Process process) {
        return process.isAlive() ? "" : ", exit status " + process.exitValue();
    }

    /**
     * Writes the request, then reads the answer, up to the control frame limit (classes beyond it
     * could not be sent anyway).
     */
    private static byte[] exchange(Process process, String source, String sourceName, List<Path> classpath) {
        try {
            try (DataOutputStream out = new DataOutputStream(process.getOutputStream())) {
                out.writeUTF(sourceName);
                byte[] text = source.getBytes(StandardCharsets.UTF_8);
                out.writeInt(text.length);
                out.write(text);
                out.writeInt(classpath.size());
                for (Path entry : classpath) {
                    out.writeUTF(entry.toString());
                }
            }
            byte[] answer = process.getInputStream().readNBytes(ConnectionPorts.DEFAULT_MAX_FRAME_SIZE + 1);
            if (answer.length > ConnectionPorts.DEFAULT_MAX_FRAME_SIZE) {
                process.destroyForcibly();
                throw new IllegalStateException("its classes are larger than the control frame limit");
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last few KiB the process wrote to stderr (a JVM's own complaint, a sandbox's). */
    private static String tail(InputStream err) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try (err) {
            for (int n; (n = err.read(buffer)) > 0; ) {
                kept.write(buffer, 0, n);
                if (kept.size() > 2 * MAX_STDERR) {
                    byte[] all = kept.toByteArray();
                    kept.reset();
                    kept.write(all, all.length - MAX_STDERR, MAX_STDERR);
                }
            }
        } catch (IOException e) {
            // the process was killed
        }
        return kept.toString(StandardCharsets.UTF_8);
    }

    /** The compiler's {@code java} command, confined where a sandbox is installed. */
    private List<String> command(List<Path> classpath) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<Path> own = List.copyOf(new LinkedHashSet<>(List.of(location(CompilerMain.class),
                location(ClassFile.class), location(Service.class))));
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx" + (bounds.heapBytes() >> 20) + "m",
                "-XX:+ExitOnOutOfMemoryError", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
                "-XX:+DisplayVMOutputToStderr", "-Xshare:auto", "-cp",
                String.join(File.pathSeparator, own.stream().map(Path::toString).toList()),
                CompilerMain.class.getName(), Long.toString(bounds.timeout().toMillis() + 1000)));
        List<Path> readable = new ArrayList<>(own);
        readable.addAll(classpath);
        return sandbox.flatMap(s -> s.confine(command, java, readable)).orElseGet(() -> {
            // its parent is this JVM: named, so that it ends even if this JVM dies as it starts
            List<String> unconfined = new ArrayList<>(command);
            unconfined.add(Long.toString(ProcessHandle.current().pid()));
            return unconfined;
        });
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate " + type.getName() + ": " + e, e);
        }
    }
}
