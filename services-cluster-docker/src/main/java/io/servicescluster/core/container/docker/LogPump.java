package io.servicescluster.core.container.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import io.servicescluster.core.container.ContainerEnvironment.OutputSink;
import io.servicescluster.core.container.support.LineCutter;
import io.servicescluster.core.container.support.OutputTail;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * Follows a container's stdout and stderr (what its JVM writes outside the control channel: the
 * JVM's own messages, a crash report), splits the engine's frames into lines for the output
 * sink, and keeps the last lines for messages and for the JVM's out-of-memory notice.
 */
final class LogPump extends ResultCallback.Adapter<Frame> {

    private final OutputTail tail = new OutputTail();
    /** One line splitter per stream, each bounded (what a service writes here is its own: issue 18). */
    private final LineCutter out;
    private final LineCutter err;

    LogPump(OutputSink sink) {
        this.out = new LineCutter(line -> pass(sink, OutputStream.STDOUT, line));
        this.err = new LineCutter(line -> pass(sink, OutputStream.STDERR, line));
    }

    private void pass(OutputSink sink, OutputStream stream, String line) {
        tail.add(line);
        sink.line(stream, line);
    }

    @Override
    public void onNext(Frame frame) {
        LineCutter lines = frame.getStreamType() == StreamType.STDERR ? err : out;
        synchronized (lines) {
            lines.accept(frame.getPayload(), 0, frame.getPayload().length);
        }
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
            out.finish();
        }
        synchronized (err) {
            err.finish();
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
