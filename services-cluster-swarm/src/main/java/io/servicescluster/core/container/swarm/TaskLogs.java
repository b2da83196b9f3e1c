package io.servicescluster.core.container.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import io.servicescluster.core.container.ContainerEnvironment.OutputSink;
import io.servicescluster.core.container.support.LineCutter;
import io.servicescluster.core.container.support.OutputTail;
import io.servicescluster.protocol.ControlMessage.OutputStream;

/**
 * Follows what a task's JVM writes outside the control channel (the JVM's own messages, the
 * remote's last words when it cannot connect), through the swarm's service logs, which reach the
 * manager node from any node; line by line into the output sink, the last lines kept for messages.
 */
final class TaskLogs extends ResultCallback.Adapter<Frame> {

    private final OutputTail tail = new OutputTail();
    private final LineCutter out;
    private final LineCutter err;

    private TaskLogs(OutputSink sink) {
        this.out = new LineCutter(line -> pass(sink, OutputStream.STDOUT, line));
        this.err = new LineCutter(line -> pass(sink, OutputStream.STDERR, line));
    }

    /** Follows service {@code serviceId}'s logs from now on. */
    static TaskLogs follow(DockerClient docker, String serviceId, OutputSink sink) {
        TaskLogs logs = new TaskLogs(sink);
        try {
            docker.logServiceCmd(serviceId).withFollow(true).withStdout(true).withStderr(true).exec(logs);
        } catch (RuntimeException e) {
            logs.tail.add("(its logs cannot be followed: " + SwarmEngine.describe(e) + ")");
        }
        return logs;
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
        tail.end();
    }

    @Override
    public void onComplete() {
        synchronized (out) {
            out.finish();
        }
        synchronized (err) {
            err.finish();
        }
        tail.end();
        super.onComplete();
    }

    /** {@code ; it wrote: …} with the last lines, or nothing. */
    String summary() {
        return tail.summary();
    }
}
