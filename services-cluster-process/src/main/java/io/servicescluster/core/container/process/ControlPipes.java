package io.servicescluster.core.container.process;

import io.servicescluster.core.container.RemoteProcess;
import io.servicescluster.core.container.support.ControlSocket;
import io.servicescluster.core.container.support.OutputTail;
import io.servicescluster.protocol.ConnectionPorts;
import io.servicescluster.protocol.ControlChannel;
import io.servicescluster.protocol.ControlMessage;
import io.servicescluster.protocol.ControlMessage.Hello;
import java.io.EOFException;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The control channel of one launched JVM over its own pipes (its stdin and stdout, which the
 * launch shell hands to the remote as descriptors 3 and 4), and the wait for its {@link Hello}.
 *
 * <p>The first message must be a {@code Hello} with this protocol's version; anything else —
 * another message, a malformed or oversized frame, another version — fails {@link #hello()} with
 * the reason. No token: only the launched process holds these pipes, so they prove which launch
 * speaks, and a secret in its environment would only be one more thing a sibling could read
 * (docs/security.md). A JVM that ends first fails it with its exit
 * status and the last lines it wrote.
 */
final class ControlPipes {

    private final ControlChannel channel;
    private final CompletableFuture<Hello> hello = new CompletableFuture<>();

    private ControlPipes(ControlChannel channel) {
        this.channel = channel;
    }

    /**
     * Opens the channel of {@code process} and starts waiting for its hello, on a platform thread:
     * a read blocked on a pipe would hold a virtual thread's carrier.
     */
    static ControlPipes open(Process process, String service, OutputTail tail) {
        ControlPipes pipes = new ControlPipes(new ControlChannel(ConnectionPorts.overStreams(process.getInputStream(),
                process.getOutputStream(), ConnectionPorts.DEFAULT_MAX_FRAME_SIZE, service + " remote")));
        Thread.ofPlatform().daemon().name("svc-hello-" + service).start(pipes::readHello);
        // quoting what it wrote: let the stderr pipe drain first (briefly: a child may hold it open)
        process.onExit().thenCompose(p -> tail.ended().completeOnTimeout(null, 500, TimeUnit.MILLISECONDS))
                .thenRun(() -> pipes.hello.completeExceptionally(new IOException("its JVM "
                        + RemoteProcess.Exit.describeStatus(process.exitValue()) + " before saying hello"
                        + tail.summary())));
        return pipes;
    }

    ControlChannel channel() {
        return channel;
    }

    /** Completes with the remote's hello, or fails with why there was none. */
    CompletableFuture<Hello> hello() {
        return hello;
    }

    /** Reads the first message; an end of the pipe is left to the process's exit, which says how the JVM ended. */
    private void readHello() {
        try {
            ControlMessage first = channel.receive();
            String problem = !(first instanceof Hello said) ? "its first message was "
                    + first.getClass().getSimpleName() + ", not Hello"
                    : ControlSocket.versionProblem(said).orElse(null);
            if (problem == null) {
                hello.complete((Hello) first);
            } else {
                hello.completeExceptionally(new IOException(problem));
            }
        } catch (EOFException e) {
            // the JVM ended before a word: its exit reports how
        } catch (IOException e) {
            hello.completeExceptionally(new IOException("its first message was malformed: " + e.getMessage(), e));
        }
    }
}
