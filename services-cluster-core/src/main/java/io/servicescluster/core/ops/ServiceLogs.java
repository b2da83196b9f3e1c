package io.servicescluster.core.ops;

import io.servicescluster.core.manager.ClusterListener;
import io.servicescluster.core.manager.ExceptionReport;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import java.nio.file.Path;

/**
 * Keeps each service's output in log files in one folder: {@code NAME.out.log} and
 * {@code NAME.err.log} (one line each, prefixed with its arrival time in UTC) and
 * {@code NAME.exceptions.jsonl} (one JSON object per uncaught exception, full stack trace
 * included). Files rotate by size; a noisy service loses lines (counted and noted in its
 * log), never slows the manager. See {@link LogWriter}.
 */
public final class ServiceLogs implements ClusterListener, AutoCloseable {

    private final Path folder;
    private final LogWriter writer;

    /** Begins writing logs into {@code folder}. */
    public ServiceLogs(Path folder, LogSettings settings) {
        this.folder = folder;
        this.writer = new LogWriter(folder, settings);
    }

    /** The folder of the log files. */
    public Path folder() {
        return folder;
    }

    /** The file name of a service's stdout ({@code NAME.out.log}) or stderr ({@code NAME.err.log}). */
    public static String fileName(String service, OutputStream stream) {
        return service + (stream == OutputStream.STDERR ? ".err.log" : ".out.log");
    }

    /** The file name of a service's exceptions: {@code NAME.exceptions.jsonl}. */
    public static String exceptionsFileName(String service) {
        return service + ".exceptions.jsonl";
    }

    @Override
    public void onOutput(String service, OutputStream stream, String line) {
        writer.text(fileName(service, stream), line);
    }

    @Override
    public void onException(String service, ExceptionReport report) {
        writer.raw(exceptionsFileName(service), StatusJson.toJson(report).put("service", service).toString());
    }

    /** Writes what is queued and closes the files. */
    @Override
    public void close() throws InterruptedException {
        writer.close();
    }
}
