package io.servicescluster.remote;

import io.servicescluster.protocol.ControlMessage.Code;
import java.io.File;
import java.util.List;

/**
 * A class service's class, loaded while the JVM is still on its way to its hello. A launcher that
 * knows the service's code names its class and class path in {@value #CLASS_VARIABLE} and
 * {@value #CLASS_PATH_VARIABLE} (the process container does); the class is then loaded, not
 * initialised, on a thread of its own from the first line of {@code main}, in parallel with the
 * hello and the manager's answer, instead of after the code came (~4 ms of a start on the path to
 * {@code running}). Only a hint: the code that comes over the control channel decides. A preload
 * of another class or class path than it names is dropped and the class loaded as without one;
 * one that failed (a jar still being written as the JVM began) is tried again from the code.
 */
final class Preload {

    static final String CLASS_VARIABLE = "SVC_PRELOAD_CLASS";
    static final String CLASS_PATH_VARIABLE = "SVC_PRELOAD_CLASSPATH";

    private static volatile ClassLoading loading;

    private Preload() {
    }

    /** Begins the loading the environment names, if it names one. */
    static void begin() {
        String className = System.getenv(CLASS_VARIABLE);
        String classpath = System.getenv(CLASS_PATH_VARIABLE);
        if (className == null || className.isBlank() || classpath == null) {
            return;
        }
        ClassLoading preload = ClassLoading.preload(className,
                classpath.isEmpty() ? List.of() : List.of(classpath.split(File.pathSeparator)));
        loading = preload;
        Thread thread = new Thread(preload, "service-preload");
        thread.setDaemon(true);
        thread.start();
    }

    /** The preload, if it loads what {@code code} names; at most once. */
    static ClassLoading take(Code code) {
        ClassLoading preload = loading;
        loading = null;
        return preload != null && preload.isFor(code) ? preload.takenFor(code) : null;
    }
}
