package io.servicescluster.remote;

import io.servicescluster.protocol.ControlMessage.Code;
import io.servicescluster.protocol.ControlMessage.CodeKind;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The service's class, loaded on a platform thread of its own — as soon as the code came, or, for
 * a class service the launch named, as the JVM began ({@link Preload}) — and not initialised: no
 * code of the service runs before its start. The start waits for it.
 */
final class ClassLoading implements Runnable {

    private final Code code; // null for a preload, which knows only the class and its class path
    private final String className;
    private final List<String> classpath;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Class<?> type;
    private volatile StartFailure failure;
    private volatile Throwable error;
    private volatile Code fallback; // for a preload taken by a start: the code to load from if it failed

    private ClassLoading(Code code, String className, List<String> classpath) {
        this.code = code;
        this.className = className;
        this.classpath = List.copyOf(classpath);
    }

    /** The loading of the class of {@code code}, which came over the control channel. */
    static ClassLoading of(Code code) {
        return new ClassLoading(code, code.classNameOrSource(), code.classpath());
    }

    /** The loading of class service {@code className} from {@code classpath}, before its code came. */
    static ClassLoading preload(String className, List<String> classpath) {
        return new ClassLoading(null, className, classpath);
    }

    /**
     * This preload, for the start of {@code code}, which names its class and class path: should it
     * have failed (a jar still being written as the JVM began), the class is loaded again from
     * the code, and a failure then is the start's.
     */
    ClassLoading takenFor(Code code) {
        fallback = code;
        return this;
    }

    /** Whether this loads the very class {@code code} names, from the very class path. */
    boolean isFor(Code code) {
        return code.kind() == CodeKind.CLASS && className.equals(code.classNameOrSource())
                && classpath.equals(code.classpath());
    }

    @Override
    public void run() {
        try {
            type = code != null ? CodeLoader.serviceClass(code) : CodeLoader.serviceClass(className, classpath);
        } catch (StartFailure e) {
            failure = e;
        } catch (Throwable e) {
            error = e;
        } finally {
            done.countDown();
        }
    }

    /** The class, once loaded; the start's failure if it could not be. */
    Class<?> get() throws StartFailure, InterruptedException {
        done.await();
        Code again = fallback;
        if (again != null && (failure != null || error != null)) {
            return CodeLoader.serviceClass(again);
        }
        if (failure != null) {
            throw failure;
        }
        if (error != null) {
            throw new StartFailure("the class of the service cannot be loaded: " + Failures.stackTrace(error));
        }
        return type;
    }
}
