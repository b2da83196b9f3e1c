package io.servicescluster.remote;

import io.servicescluster.api.Service;
import io.servicescluster.protocol.ControlMessage.Code;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * An existing application's unmodified {@code public static void main(String[])}, run the way
 * {@code java} runs it: on a non-daemon thread named "main" (the threads it makes inherit that,
 * as they would), with its class loader as the context loader, and — once {@code main} has ended —
 * the process exits as a JVM does when no non-daemon thread is left: status 0, or 1 if {@code main}
 * threw. {@code System.exit} from the application is an exit like any other (the runtime's exit
 * report flushes what it printed first, {@link RemoteRuntime}).
 *
 * <p>When it counts as started: once {@code main} returned, or after it ran {@value #GRACE_MILLIS} ms
 * without throwing (a server whose {@code main} blocks). A {@code main} that throws before then
 * fails the start; later, its exception is reported as uncaught. A health check (R16) makes the
 * service {@code running} only once it passes, whatever this decided.
 *
 * <p>Threading: {@link #load} and {@link #start} on the runtime's start thread; {@link #run} is
 * the body of the application's "main" thread.
 */
final class ApplicationMain implements Runnable {

    /** How long a {@code main} that has not returned must run without throwing to count as started. */
    static final long GRACE_MILLIS = 1000;

    private static final int RUNNING = 0;
    private static final int RETURNED = 1;
    private static final int THREW = 2;
    private static final int ACCEPTED = 3; // still in main after the grace

    private final Method main;
    private final String[] args;
    private final ClassLoader loader;
    private final Thread runtimeThread;
    private final AtomicInteger outcome = new AtomicInteger(RUNNING);
    private final CountDownLatch ended = new CountDownLatch(1);
    private final CountDownLatch answered = new CountDownLatch(1);
    private volatile Throwable failure;

    private ApplicationMain(Method main, String[] args, ClassLoader loader, Thread runtimeThread) {
        this.main = main;
        this.args = args;
        this.loader = loader;
        this.runtimeThread = runtimeThread;
    }

    /**
     * Finds the main class (named, or the {@code Main-Class} of the jar that is the first
     * classpath entry) and its {@code main}, without initialising the class.
     *
     * @param runtimeThread the runtime's own non-daemon thread, which the application's end does not wait for
     * @throws StartFailure naming what is missing
     */
    static ApplicationMain load(Code code, Thread runtimeThread) throws StartFailure {
        String className = code.classNameOrSource().isEmpty() ? mainClassOfJar(code) : code.classNameOrSource();
        URLClassLoader loader = new URLClassLoader(CodeLoader.urls(code.classpath()),
                new ApiOnlyClassLoader(Service.class.getClassLoader()));
        Class<?> type = CodeLoader.find(className, code.classpath(), loader);
        Method main;
        try {
            main = type.getMethod("main", String[].class);
        } catch (NoSuchMethodException e) {
            main = null;
        } catch (LinkageError e) {
            throw new StartFailure("class " + className + " cannot be loaded: " + Failures.stackTrace(e));
        }
        if (main == null || !Modifier.isStatic(main.getModifiers()) || main.getReturnType() != void.class) {
            throw new StartFailure("class " + className + " has no public static void main(String[])");
        }
        main.setAccessible(true); // a public main of a class that is not public, as the java launcher allows
        return new ApplicationMain(main, code.args().toArray(String[]::new), loader, runtimeThread);
    }

    private static String mainClassOfJar(Code code) throws StartFailure {
        String jar = code.classpath().isEmpty() ? "" : code.classpath().getFirst();
        try (JarFile file = new JarFile(Path.of(jar).toFile())) {
            Manifest manifest = file.getManifest();
            String name = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
            if (name == null || name.isBlank()) {
                throw new StartFailure("the jar " + jar + " names no Main-Class in its manifest");
            }
            return name.trim();
        } catch (IOException e) {
            throw new StartFailure("cannot read the jar " + jar + ": " + e.getMessage());
        }
    }

    /** The application's class loader. */
    ClassLoader loader() {
        return loader;
    }

    /**
     * Runs {@code main} on its own thread and returns once it counts as started (see the class).
     *
     * @throws StartFailure if {@code main} threw before that
     */
    void start() throws StartFailure, InterruptedException {
        Thread thread = new Thread(this, "main");
        thread.setDaemon(false);
        thread.setContextClassLoader(loader);
        thread.start();
        ended.await(GRACE_MILLIS, TimeUnit.MILLISECONDS);
        if (outcome.compareAndSet(RUNNING, ACCEPTED) || outcome.get() == RETURNED) {
            return;
        }
        throw new StartFailure("main of " + main.getDeclaringClass().getName() + " threw "
                + Failures.stackTrace(failure));
    }

    /** {@code Started} is on its way: the application's end may now exit the process. */
    void answered() {
        answered.countDown();
    }

    @Override
    public void run() {
        int status = 0;
        try {
            main.invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            failure = e.getCause();
            status = 1;
        } catch (Throwable e) { // the class's initialiser failed (ExceptionInInitializerError), or a linkage error
            failure = e;
            status = 1;
        }
        boolean early = outcome.compareAndSet(RUNNING, status == 0 ? RETURNED : THREW);
        ended.countDown();
        if (early && status != 0) {
            return; // the start fails; the manager ends the process
        }
        if (!early && status != 0) {
            Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), failure);
        }
        awaitAnswer();
        exitWhenAlone(status);
    }

    private void awaitAnswer() {
        try {
            answered.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * As a JVM does after {@code main}: waits for every other non-daemon thread of the application
     * (one after the other; each may have made more), then exits with {@code status}.
     */
    private void exitWhenAlone(int status) {
        for (;;) {
            Thread other = null;
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (!thread.isDaemon() && thread.isAlive() && thread != Thread.currentThread()
                        && thread != runtimeThread) {
                    other = thread;
                    break;
                }
            }
            if (other == null) {
                System.exit(status);
            }
            try {
                other.join();
            } catch (InterruptedException e) {
                // keep waiting, as the JVM's DestroyJavaVM thread does
            }
        }
    }
}
