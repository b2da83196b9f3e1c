package io.servicescluster.protocol;

import java.util.List;
import java.util.Map;

/**
 * The typed events that a controller and its remote exchange (R14): lifecycle, output, faults
 * and statistics, never the requests and events that services send each other. Immutable.
 * The wire form is in {@link ControlCodec} and {@code docs/protocol.md}.
 */
public sealed interface ControlMessage {

    /** The protocol version spoken by this build; sent in {@link Hello}. */
    int PROTOCOL_VERSION = 1;

    // ---- remote -> controller -------------------------------------------------------------

    /** First message of a remote: it runs, it is connected, and it waits for code ("remoteReady"). */
    record Hello(int protocolVersion, String token, long pid) implements ControlMessage {
    }

    /** The service's {@code start} returned. */
    record Started() implements ControlMessage {
    }

    /** Loading, compiling or starting the service failed; {@code reason} says why, in full. */
    record StartFailed(String reason) implements ControlMessage {
    }

    /** The service's {@code close} returned ({@code error} empty) or threw ({@code error} says what). */
    record Closed(String error) implements ControlMessage {
    }

    /** One line that the service wrote to standard output or standard error. */
    record Output(OutputStream stream, String line) implements ControlMessage {
    }

    /** An exception that no code of the service caught. */
    record UncaughtException(String thread, String className, String message, String stackTrace)
            implements ControlMessage {
    }

    /** A sample of the remote's resource use, sent about once a second. */
    record Stats(long cpuTimeNanos, double cpuPercent, long heapUsedBytes, long heapMaxBytes, long rssBytes)
            implements ControlMessage {
    }

    // ---- controller -> remote -------------------------------------------------------------

    /** The service to run: its identity, settings, work directory and code. */
    record Code(String serviceName, Map<String, String> settings, String workDir, CodeKind kind,
            String classNameOrSource, String sourceName, List<String> classpath) implements ControlMessage {
        public Code {
            settings = Map.copyOf(settings);
            classpath = List.copyOf(classpath);
        }
    }

    /** Run the service's {@code start}. */
    record Start() implements ControlMessage {
    }

    /** Run the service's {@code close}, answer {@link Closed}, then exit. */
    record Close() implements ControlMessage {
    }

    // ---- both ways ------------------------------------------------------------------------

    /** Proof of life; each side expects one from the other at least every heartbeat interval. */
    record Heartbeat() implements ControlMessage {
    }

    /** Which standard stream an {@link Output} line came from. */
    enum OutputStream { STDOUT, STDERR }

    /** How {@link Code#classNameOrSource()} is to be read. */
    enum CodeKind { CLASS, SOURCE }
}
