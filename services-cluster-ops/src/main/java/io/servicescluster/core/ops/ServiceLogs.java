package io.servicescluster.core.ops;

import io.servicescluster.core.control.UntrustedText;
import io.servicescluster.core.manager.ClusterListener;
import io.servicescluster.core.manager.ExceptionReport;
import io.servicescluster.core.manager.ServiceEvent;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps each service's output in log files in one folder: {@code NAME.out.log} and
 * {@code NAME.err.log} (one line each, prefixed with its arrival time in UTC, strictly increasing
 * across both files of a service; each start of the service marked in both) and
 * {@code NAME.exceptions.jsonl} (one JSON object per uncaught exception, full stack trace
 * included). Files rotate by size; a noisy service loses lines (counted and noted in its
 * log), never slows the manager. See {@link LogWriter}.
 */
public final class ServiceLogs implements ClusterListener, AutoCloseable {

    /** How a line of the framework's own that separates runs begins, after the time stamp. */
    public static final String MARKER = "[svc] --- ";

    private final Path folder;
    private final LogWriter writer;
    /** The time stamp of each service's last line. */
    private final Map<String, Instant> stamps = new ConcurrentHashMap<>();
    /** How many times each service started in this run (loop thread only, but cheap to make safe). */
    private final Map<String, Integer> starts = new ConcurrentHashMap<>();

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
        writer.text(fileName(service, stream), stamp(service), line);
    }

    /**
     * Marks each start of a service in both its files, so that {@code svc logs} can show where a
     * run of the manager, or a restart, begins: {@code [svc] --- run started TIME (manager pid N) ---},
     * then {@code [svc] --- started again TIME (start N of this run) ---}.
     */
    @Override
    public void onEvent(ServiceEvent event) {
        if (event.type() != ServiceEvent.Type.STARTING) {
            return;
        }
        int start = starts.merge(event.service(), 1, Integer::sum);
        String time = event.time().truncatedTo(ChronoUnit.SECONDS).toString();
        String marker = MARKER + (start == 1
                ? "run started " + time + " (manager pid " + ProcessHandle.current().pid() + ") ---"
                : "started again " + time + " (start " + start + " of this run) ---");
        Instant at = stamp(event.service());
        writer.text(fileName(event.service(), OutputStream.STDOUT), at, marker);
        writer.text(fileName(event.service(), OutputStream.STDERR), at, marker);
    }

    /**
     * The time stamp of a service's next line: now, but always after its previous line's, in
     * either stream, so that sorting by time stamp gives back the order the lines came in.
     */
    private Instant stamp(String service) {
        return stamps.compute(service, (name, last) -> {
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            return last == null || now.isAfter(last) ? now : last.plus(1, ChronoUnit.MICROS);
        });
    }

    @Override
    public void onException(String service, ExceptionReport report) {
        // JSON escapes C0, not C1 or the bidirectional controls: a reader who cats the file sees them escaped too
        ExceptionReport safe = new ExceptionReport(report.at(), UntrustedText.escape(report.thread()),
                UntrustedText.escape(report.className()), UntrustedText.escapeKeepingLines(report.message()),
                UntrustedText.escapeKeepingLines(report.stackTrace()));
        writer.raw(exceptionsFileName(service), StatusJson.toJson(safe).put("service", service).toString());
    }

    /** Writes what is queued and closes the files. */
    @Override
    public void close() throws InterruptedException {
        writer.close();
    }
}
