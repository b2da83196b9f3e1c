package io.servicescluster.remote;

import io.servicescluster.protocol.ConnectionPort;
import io.servicescluster.protocol.ConnectionPorts;
import io.servicescluster.protocol.ControlChannel;
import io.servicescluster.protocol.ControlMessage;
import io.servicescluster.protocol.ControlMessage.Close;
import io.servicescluster.protocol.ControlMessage.Closed;
import io.servicescluster.protocol.ControlMessage.Code;
import io.servicescluster.protocol.ControlMessage.CodeKind;
import io.servicescluster.protocol.ControlMessage.Heartbeat;
import io.servicescluster.protocol.ControlMessage.Hello;
import io.servicescluster.protocol.ControlMessage.Start;
import io.servicescluster.protocol.ControlMessage.StartFailed;
import io.servicescluster.protocol.ControlMessage.Started;
import io.servicescluster.protocol.ControlMessage.Stats;
import io.servicescluster.remote.training.IdleService;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A whole life of this remote driven in-process ({@code SVC_CONTROL=train}): a controller thread
 * on the other end of two in-memory pipes sends what a manager sends — {@code Code} for {@link
 * IdleService} from this runtime's own jar, {@code Start}, then {@code Close} — and the remote
 * answers through its normal code and exits with status 0. The manager runs it once, with
 * {@code -XX:AOTCacheOutput}, to make the remote's AOT cache from exactly the runtime's own work:
 * a cache made by a user's service would hold every JDK class that service used, and a JVM loads
 * all of a cache's classes when it starts (a cache with javac in it costs each start ~17 ms).
 */
final class TrainingRun {

    private static final int PIPE_BYTES = 64 * 1024;
    /**
     * The sampling interval of a training run, whatever {@code SVC_STATS_MS} says: short, as the
     * training waits for a sample (a remote's first comes a second after its start, mid-way
     * through a cluster's start, and its code is cold unless the cache holds it).
     */
    static final long STATS_MILLIS = 10;
    /**
     * The data endpoint a training run serves, as a service with dependents does: binding a Unix
     * socket brings in ~170 JDK classes (NIO's channels, and the JCA's providers for the secure
     * random the JDK's Unix sockets seed themselves with), which every such remote would otherwise
     * load, parse and link from the module image at start. Relative: in the training's own work
     * folder, whatever the length of its path (a socket's path has at most 107 bytes).
     */
    static final String DATA_ENDPOINT = "unix:training-data.sock";

    private TrainingRun() {
    }

    /** Starts the controller thread; returns the remote's end of the channel. */
    /** How long the training waits for its stdin watch to begin (a thread start: about a millisecond). */
    private static final long WATCH_START_MILLIS = 1_000;

    static ConnectionPort start() throws IOException {
        PipedInputStream remoteIn = new PipedInputStream(PIPE_BYTES);
        PipedOutputStream toRemote = new PipedOutputStream(remoteIn);
        PipedInputStream controllerIn = new PipedInputStream(PIPE_BYTES);
        PipedOutputStream toController = new PipedOutputStream(controllerIn);
        ControlChannel controller = new ControlChannel(ConnectionPorts.overStreams(controllerIn, toRemote,
                ConnectionPorts.DEFAULT_MAX_FRAME_SIZE, "the trained remote"));
        // the watch first, and reading, before the training begins: a manager already gone ends
        // the run before it starts, not only if the watch happens to be scheduled in time
        CountDownLatch watching = new CountDownLatch(1);
        // nested classes, not lambdas: see ControlCodec.strings (what the training uses goes into the cache)
        Thread watch = new Thread(new StdinWatch(watching), "sc-training-stdin");
        watch.setDaemon(true);
        watch.start();
        try {
            watching.await(WATCH_START_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Thread thread = new Thread(new Driver(controller), "sc-training-controller");
        thread.setDaemon(true);
        thread.start();
        return ConnectionPorts.overStreams(remoteIn, toController, ConnectionPorts.DEFAULT_MAX_FRAME_SIZE,
                "the training controller");
    }

    private record StdinWatch(CountDownLatch watching) implements Runnable {
        @Override
        public void run() {
            haltWhenStdinEnds(watching);
        }
    }

    private record Driver(ControlChannel controller) implements Runnable {
        @Override
        public void run() {
            drive(controller);
        }
    }

    private static void drive(ControlChannel controller) {
        try {
            awaitMessage(controller, Hello.class);
            String jar = Path.of(IdleService.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
            controller.send(new Code("aot-training", Map.of(), System.getProperty("user.dir"), CodeKind.CLASS,
                    IdleService.class.getName(), "", List.of(jar), List.of(), ""));
            controller.send(new Start());
            awaitMessage(controller, Started.class);
            // what every remote does in its first seconds, so that its code is in the cache too,
            // linked: it answers a heartbeat and sends a sample
            controller.send(new Heartbeat());
            awaitMessage(controller, Heartbeat.class);
            awaitMessage(controller, Stats.class);
            controller.send(new Close());
            awaitMessage(controller, Closed.class); // the remote exits with status 0 after sending it
        } catch (Exception e) {
            System.err.println("services-cluster remote: the training run failed: " + e);
            Runtime.getRuntime().halt(3);
        }
    }

    /**
     * The manager keeps this JVM's stdin open while it lives: its end means the manager is gone,
     * and a training run must not outlive it (R11 holds for every JVM the manager starts).
     */
    private static void haltWhenStdinEnds(CountDownLatch watching) {
        try {
            watching.countDown();
            while (System.in.read() >= 0) {
                // nothing is sent; keep waiting for the end
            }
        } catch (IOException e) {
            // as good as an end
        }
        Runtime.getRuntime().halt(4);
    }

    /** Reads until a message of {@code type}, passing over output and samples; a failed start ends the run. */
    private static void awaitMessage(ControlChannel controller, Class<? extends ControlMessage> type)
            throws IOException {
        for (;;) {
            ControlMessage message = controller.receive();
            if (type.isInstance(message)) {
                return;
            }
            if (message instanceof StartFailed failed) {
                throw new IOException("the idle service did not start: " + failed.reason());
            }
        }
    }
}
