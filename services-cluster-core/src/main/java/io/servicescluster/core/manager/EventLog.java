package io.servicescluster.core.manager;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.servicescluster.core.control.UntrustedText;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Map;

/**
 * The event log of SPEC §5: one JSON object a line, flushed as each line is written, in the
 * manager's order. Runs on the decision loop ({@link ClusterListener#onEvent}); a write error is
 * reported once and the log stops, so a full disk never stops the cluster.
 */
public final class EventLog implements ClusterListener, AutoCloseable {

    private static final JsonFactory JSON = new JsonFactory();
    /** SPEC §5's {@code time}: UTC, always to the millisecond ({@code 2026-11-24T15:00:00.123Z}), whatever the clock's precision. */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path path;
    private final OutputStream out;
    private boolean failed;

    private EventLog(Path path, OutputStream out) {
        this.path = path;
        this.out = out;
    }

    /**
     * Creates or truncates {@code path} (and its folder).
     *
     * @throws IOException saying which log could not be written and why: a file system error's own
     *     message is often only a path ({@code svc run} printed "svc run: /proc/nope")
     */
    public static EventLog open(Path path) throws IOException {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return new EventLog(path, Files.newOutputStream(path));
        } catch (FileSystemException e) {
            String reason = e.getReason() != null ? e.getReason() : switch (e) {
                case NoSuchFileException x -> "no such file or folder";
                case AccessDeniedException x -> "permission denied";
                case FileAlreadyExistsException x -> "exists, and is not a folder";
                default -> e.getClass().getSimpleName();
            };
            throw new IOException("cannot write the event log " + path + ": " + e.getFile() + ": " + reason, e);
        }
    }

    @Override
    public synchronized void onEvent(ServiceEvent event) {
        if (failed) {
            return;
        }
        try {
            out.write(toJson(event));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            failed = true;
            org.slf4j.LoggerFactory.getLogger(EventLog.class).error("cannot write the event log {}: {}", path, e.toString());
        }
    }

    /** The JSON form of one event, without the newline. */
    public static byte[] toJson(ServiceEvent event) {
        var buffer = new java.io.ByteArrayOutputStream(160);
        try (JsonGenerator json = JSON.createGenerator(buffer, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeNumberField("seq", event.seq());
            json.writeStringField("time", TIME.format(event.time()));
            json.writeStringField("service", event.service());
            json.writeStringField("event", event.type().wireName());
            for (Map.Entry<String, Object> detail : event.details().entrySet()) {
                if (detail.getValue() instanceof Number number) {
                    json.writeNumberField(detail.getKey(), number.longValue());
                } else if (detail.getValue() instanceof Collection<?> values) {
                    json.writeArrayFieldStart(detail.getKey());
                    for (Object value : values) {
                        json.writeString(UntrustedText.escapeKeepingLines(String.valueOf(value)));
                    }
                    json.writeEndArray();
                } else {
                    // reasons and messages may hold a service's words: no control characters in the log
                    json.writeStringField(detail.getKey(), UntrustedText.escapeKeepingLines(String.valueOf(detail.getValue())));
                }
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
