package io.servicescluster.core.container.process;

import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.ContainerEnvironment;
import io.servicescluster.core.container.ContainerException;
import io.servicescluster.core.container.RemoteProcess;
import io.servicescluster.core.container.ServiceContainer;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A service in a child JVM on this machine (the default container). Each launch starts a fresh
 * JVM that connects back over this container's Unix domain socket in the manager's private run
 * folder. This container enforces no sandbox: a service that asks for one is refused (R15).
 */
final class ProcessContainer implements ServiceContainer {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ServiceSpec spec;
    private final ContainerEnvironment environment;
    private final RemoteRuntime runtime;
    private final Set<Process> processes = ConcurrentHashMap.newKeySet();
    private volatile ControlSocket socket;
    private volatile boolean destroyed;

    ProcessContainer(ServiceSpec spec, ContainerEnvironment environment, RemoteRuntime runtime) {
        this.spec = spec;
        this.environment = environment;
        this.runtime = runtime;
    }

    @Override
    public String kind() {
        return "process";
    }

    @Override
    public void create() throws ContainerException {
        try {
            Files.createDirectories(environment.workDir());
            socket = ControlSocket.bind(environment.runDir().resolve(spec.name() + ".sock"), spec.name());
        } catch (IOException e) {
            throw new ContainerException("cannot create the environment of '" + spec.name() + "': " + e, e);
        }
    }

    @Override
    public RemoteProcess launch(Duration timeout) throws ContainerException {
        refuseWhatCannotBeEnforced();
        ControlSocket control = socket;
        if (control == null || destroyed) {
            throw new ContainerException("the container of '" + spec.name() + "' is not created");
        }
        String token = HexFormat.of().formatHex(randomBytes());
        CompletableFuture<ControlSocket.Handshake> hello = control.expect(token);
        ProcessBuilder builder = new ProcessBuilder(runtime.command(spec.name()))
                .directory(environment.workDir().toFile());
        builder.environment().put("SVC_CONTROL", control.endpoint());
        builder.environment().put("SVC_TOKEN", token);
        Path dataSocket = environment.runDir().resolve(spec.name() + "-" + token.substring(0, 8) + ".data");
        builder.environment().put("SVC_DATA", "unix:" + dataSocket);
        builder.environment().put("SVC_WATCHDOG_MS", Long.toString(environment.watchdog().toMillis()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            hello.cancel(false);
            throw new ContainerException("cannot start the JVM of '" + spec.name() + "': " + e.getMessage(), e);
        }
        processes.add(process);
        process.onExit().thenRun(() -> processes.remove(process));
        if (destroyed) { // destroy() ran while this JVM was being started: it must not survive it
            process.destroyForcibly();
            throw new ContainerException("the container of '" + spec.name() + "' was destroyed during the launch");
        }
        OutputTail tail = new OutputTail();
        pump(process.getInputStream(), OutputStream.STDOUT, tail);
        pump(process.getErrorStream(), OutputStream.STDERR, tail);
        process.onExit().thenRun(() -> hello.completeExceptionally(new IOException(
                "its JVM " + ProcessRemote.describeExit(process.exitValue()) + " before connecting" + tail.summary())));
        try {
            ControlSocket.Handshake handshake = hello.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new ProcessRemote(process, handshake.channel(), handshake.hello().dataEndpoint(), tail);
        } catch (TimeoutException e) {
            process.destroyForcibly();
            throw new ContainerException("the remote of '" + spec.name() + "' did not connect within " + timeout);
        } catch (ExecutionException e) {
            process.destroyForcibly();
            throw new ContainerException("the remote of '" + spec.name() + "' failed: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ContainerException("interrupted while launching '" + spec.name() + "'");
        }
    }

    /** Fails closed (R15): this container has no sandbox and no resource limits yet. */
    private void refuseWhatCannotBeEnforced() throws ContainerException {
        List<String> missing = new ArrayList<>(spec.permissions().describeRestrictions());
        spec.resources().memoryBytes().ifPresent(bytes -> missing.add("resources.memory"));
        spec.resources().cpus().ifPresent(cpus -> missing.add("resources.cpus"));
        if (!missing.isEmpty()) {
            throw new ContainerException("the process container cannot enforce " + String.join(", ", missing)
                    + " for '" + spec.name() + "' (it has no sandbox or cgroup support in this build); "
                    + "remove the restriction or choose a container that enforces it");
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** Forwards what the JVM writes outside the control channel, and keeps the tail for messages. */
    private void pump(InputStream stream, OutputStream kind, OutputTail tail) {
        Thread.ofVirtual().name("svc-pipe-" + spec.name()).start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    tail.add(line);
                    environment.output().line(kind, line);
                }
            } catch (IOException ignored) {
                // the process ended; its exit is reported through onExit
            } finally {
                tail.pipeClosed();
            }
        });
    }

    @Override
    public void destroy() {
        destroyed = true;
        for (Process process : processes) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        for (Process process : processes) {
            process.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        ControlSocket control = socket;
        if (control != null) {
            control.close();
        }
    }
}
