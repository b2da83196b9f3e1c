package io.servicescluster.core.container.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import io.servicescluster.core.container.ContainerEnvironment.OutputSink;
import io.servicescluster.core.container.support.OutputTail;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Follows a container's stdout and stderr (what its JVM writes outside the control channel: the
 * JVM's own messages, a crash report), splits the engine's frames into lines for the output
 * sink, and keeps the last lines for messages and for the JVM's out-of-memory notice.
 */
final class LogPump extends ResultCallback.Adapter<Frame> {

    private final OutputSink sink;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final OutputTail tail = new OutputTail();

    LogPump(OutputSink sink) {
        this.sink = sink;
    }

    @Override
    public void onNext(Frame frame) {
        boolean isErr = frame.getStreamType() == StreamType.STDERR;
        ByteArrayOutputStream buffer = isErr ? err : out;
        OutputStream stream = isErr ? OutputStream.STDERR : OutputStream.STDOUT;
        synchronized (buffer) {
            for (byte b : frame.getPayload()) {
                if (b == '\n') {
                    line(stream, buffer);
                } else {
                    buffer.write(b);
                }
            }
        }
    }

    private void line(OutputStream stream, ByteArrayOutputStream buffer) {
        String line = buffer.toString(StandardCharsets.UTF_8);
        buffer.reset();
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        tail.add(line);
        sink.line(stream, line);
    }

    @Override
    public void onError(Throwable throwable) {
        finish();
        super.onError(throwable);
    }

    @Override
    public void onComplete() {
        finish();
        super.onComplete();
    }

    private void finish() {
        synchronized (out) {
            if (out.size() > 0) {
                line(OutputStream.STDOUT, out);
            }
        }
        synchronized (err) {
            if (err.size() > 0) {
                line(OutputStream.STDERR, err);
            }
        }
        tail.end();
    }

    /** Completes when the engine ended the stream (the container stopped). A copy, safe to time out. */
    CompletableFuture<Void> ended() {
        return tail.ended();
    }

    boolean outOfMemory() {
        return tail.outOfMemory();
    }

    /** {@code ; it wrote: …} with the last lines, or nothing if it wrote nothing. */
    String summary() {
        return tail.summary();
    }
}
