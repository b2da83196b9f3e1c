package io.servicescluster.remote;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import io.servicescluster.protocol.ControlMessage.Code;
import io.servicescluster.protocol.ControlMessage.CodeKind;
import io.servicescluster.protocol.ControlMessage.PeerUp;
import io.servicescluster.protocol.ControlMessage.Probe;
import io.servicescluster.protocol.ControlMessage.SpawnResult;
import io.servicescluster.protocol.ControlMessage.StartFailed;
import io.servicescluster.protocol.ControlMessage.Started;
import io.servicescluster.protocol.TlsCredentials;
import io.servicescluster.remote.data.DataEndpoint;
import io.servicescluster.remote.data.DataPlane;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs the lifecycle of the one service of this process: {@code Code}, then {@code Start}, then
 * {@code Close}, each at most once.
 *
 * <p>Threading: {@link #code}, {@link #start} and {@link #close} are called by the reader thread
 * only and return at once. The service's class loads on the platform thread "service-load" from
 * the moment the code came; making the service and {@link Service#start} run on the platform
 * thread "service-start"; {@link Service#close} on the platform thread "service-close": the
 * same thread, renamed, once its start ended and the close is asked (waking a waiting thread
 * is cheaper than starting one, on the path of R9's cascade), or a thread of its own if no
 * start began. Start and close never overlap (platform, not virtual:
 * see {@link #platformThread}). Both may block as long as the service
 * likes: the controller enforces the timeouts (R12, R13) by killing the process. The context class
 * loader of both threads is the service's loader. {@link #closeForLoss} may be called from any
 * thread when the connection is lost.
 */
final class ServiceRunner {

    private final Outbox outbox;
    private final RemoteRuntime runtime;
    private Code code;                      // reader thread only
    private ClassLoading loading;           // the service's class, loaded as soon as the code came; reader thread only
    private volatile Thread startThread;
    private volatile Thread closeThread;    // written under "this"
    private boolean closeAnswers;           // under "this": the close's answer flag, for the start thread
    private volatile Service service;       // set before started; null for an application's main
    private volatile ApplicationMain application; // set before started, for CodeKind.MAIN
    private final Thread runtimeThread;     // the reader: never waited for at an application's end
    private volatile ClassLoader loader;
    private volatile boolean started;       // start returned normally
    private final DataEndpoint data;        // null: this remote serves no dependents
    private final TlsCredentials tls;       // null: no tls: transport
    private volatile DataPlane plane;       // made with the code, on the reader thread
    private final SpawnRequests spawns;
    private final HealthProbes probes;

    ServiceRunner(Outbox outbox, RemoteRuntime runtime, DataEndpoint data, TlsCredentials tls) {
        this.outbox = outbox;
        this.runtime = runtime;
        this.data = data;
        this.tls = tls;
        this.spawns = new SpawnRequests(outbox);
        this.probes = new HealthProbes(outbox);
        this.runtimeThread = Thread.currentThread(); // made on the thread that becomes the reader
    }

    /** The manager asks for a health check (reader thread); false before the code came (a protocol violation). */
    boolean probe(Probe probe) {
        if (code == null) {
            return false;
        }
        probes.probe(probe);
        return true;
    }

    /** The manager answered a spawn (reader thread); always true: a late answer is simply dropped. */
    boolean spawnResult(SpawnResult result) {
        spawns.answered(result);
        return true;
    }

    /** Keeps the code to run; false if code came already or the start began (a protocol violation). */
    boolean code(Code message) {
        if (code != null || startThread != null || closeThread != null) {
            return false;
        }
        code = message;
        if (message.kind() != CodeKind.MAIN) {
            // at once, not at the start: a remote launched ahead gets its code long before its start
            // loaded since the JVM began when the launch named this class (Preload); else now
            ClassLoading preloaded = Preload.take(message);
            if (preloaded != null) {
                loading = preloaded;
            } else {
                loading = ClassLoading.of(message);
                platformThread(loading, "service-load");
            }
        }
        plane = DataPlane.direct(message, data, tls, spawns);
        return true;
    }

    /**
     * Remembers where a declared dependency runs, for the data plane; false if no code came yet
     * or the code does not declare that dependency (a protocol violation: R15).
     */
    boolean peerUp(PeerUp peer) {
        Code current = code;
        if (current == null || !current.dependsOn().contains(peer.name())) {
            return false;
        }
        plane.peerUp(peer);
        return true;
    }

    /** Starts the service on its own thread; false if there is no code, or a start or close came already. */
    boolean start() {
        if (code == null || startThread != null || closeThread != null) {
            return false;
        }
        startThread = platformThread(new Task(true, true, loading), "service-start");
        return true;
    }

    /** Closes the service, answers {@code Closed} and exits; a repeated close is ignored. */
    void close() {
        closeThread(true);
    }

    /**
     * The connection is lost: closes the service if its start succeeded, waiting at most
     * {@code timeoutMillis}; a close already under way is waited for the same way.
     */
    void closeForLoss(long timeoutMillis) {
        Thread closing = closeThread != null || started ? closeThread(false) : null;
        if (closing != null) {
            try {
                closing.join(timeoutMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized Thread closeThread(boolean answer) {
        if (closeThread == null) {
            if (startThread != null) {
                closeThread = startThread; // it closes once its start ended: see Task
                closeAnswers = answer;
                notifyAll();
            } else {
                closeThread = platformThread(new Task(false, answer), "service-close");
            }
        }
        return closeThread;
    }

    /** On the start thread, after the start: waits until a close is asked; returns its answer flag. */
    private synchronized boolean awaitClose() {
        while (closeThread == null) {
            try {
                wait();
            } catch (InterruptedException e) {
                // user code of the start may have left an interrupt: the close still comes
            }
        }
        return closeAnswers;
    }

    private void runStart(ClassLoading classLoading) {
        Code code = this.code;
        try {
            Path workDir = Files.createDirectories(Path.of(code.workDir()));
            if (code.kind() == CodeKind.MAIN) {
                startApplication(code, workDir);
                return;
            }
            CodeLoader.Loaded loaded = CodeLoader.instantiated(classLoading.get());
            service = loaded.service();
            loader = loaded.loader();
            Thread.currentThread().setContextClassLoader(loader);
            ServiceContext context;
            try {
                context = new HealthContext(plane.open(workDir, loader), probes);
            } catch (IllegalArgumentException badSetting) {
                throw new StartFailure(badSetting.getMessage());
            }
            probes.workDir(workDir);
            service.start(context);
            started = true;
            outbox.sendNow(new Started(probes.hasOwnCheck())); // no wake-up of the sender on the way to running
        } catch (StartFailure failure) {
            outbox.send(new StartFailed(failure.getMessage()));
        } catch (Throwable failure) {
            outbox.send(new StartFailed(Failures.stackTrace(failure)));
        }
    }

    /** An existing application's main instead of a service: it has no context, and no check of its own. */
    private void startApplication(Code code, Path workDir) throws StartFailure, InterruptedException {
        ApplicationMain app = ApplicationMain.load(code, runtimeThread);
        loader = app.loader();
        probes.workDir(workDir);
        application = app;
        app.start();
        started = true;
        outbox.sendNow(new Started(false));
        app.answered();
    }

    private void runClose(boolean answer) {
        Thread starting = startThread;
        boolean interrupted = false;
        while (starting != null && starting != Thread.currentThread() && starting.isAlive()) {
            try {
                starting.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        String error = "";
        if (started && application != null) {
            // as on SIGTERM: the JVM runs the application's shutdown hooks, then exits with 0, which
            // the manager takes as the close (the runtime's exit report flushes their output first)
            Thread.currentThread().setContextClassLoader(loader);
            System.exit(0);
        }
        if (started) {
            Thread.currentThread().setContextClassLoader(loader);
            try {
                service.close();
            } catch (Throwable failure) {
                error = Failures.stackTrace(failure);
            }
        }
        DataPlane current = plane;
        if (current != null) {
            current.close();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (answer) {
            runtime.closed(error);
        }
    }

    /**
     * A started platform daemon thread. Not a virtual thread: the first virtual thread of a JVM
     * sets up its scheduler (a ForkJoinPool, continuations, a few spun lambda forms), some
     * milliseconds on the path to {@code Started} that a service with one start and one close
     * does not need; user code may still start virtual threads of its own.
     */
    private static Thread platformThread(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** The body of the start or close thread (a class rather than a lambda: no bootstrap on the start path). */
    private final class Task implements Runnable {
        private final boolean start;
        private final boolean answer;
        private final ClassLoading loading;

        Task(boolean start, boolean answer) {
            this(start, answer, null);
        }

        Task(boolean start, boolean answer, ClassLoading loading) {
            this.start = start;
            this.answer = answer;
            this.loading = loading;
        }

        @Override
        public void run() {
            if (start) {
                runStart(loading);
                boolean answer = awaitClose();
                Thread.currentThread().setName("service-close");
                runClose(answer);
            } else {
                runClose(answer);
            }
        }
    }
}
