package io.servicescluster.core.control;

import io.servicescluster.protocol.ControlChannel;
import io.servicescluster.protocol.ControlMessage;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiConsumer;

/**
 * Writes one controller's messages to its remote, in order, on a thread of its own. Callers —
 * the manager's decision loop above all — only queue: a remote that stops reading (stopped,
 * stuck, or slow while its pipe of 64 KiB is full) must block nobody but this thread, which the
 * remote's end (killed for its start timeout or for missing heartbeats) releases.
 */
final class ControlSender {

    private final ControlChannel channel;
    private final BlockingQueue<ControlMessage> queue = new LinkedBlockingQueue<>();
    private final BiConsumer<ControlMessage, IOException> failed;
    private final Thread thread;

    /** @param failed told which message could not be sent and why; nothing is sent after it */
    ControlSender(String service, ControlChannel channel, BiConsumer<ControlMessage, IOException> failed) {
        this.channel = channel;
        this.failed = failed;
        this.thread = Thread.ofVirtual().name("svc-send-" + service).start(this::run);
    }

    /** Queues {@code message}; never blocks. */
    void send(ControlMessage message) {
        queue.add(message);
    }

    /** Ends the thread once it is not writing; queued messages are dropped. */
    void stop() {
        thread.interrupt();
    }

    private void run() {
        ControlMessage message = null;
        try {
            for (;;) {
                message = queue.take();
                channel.send(message);
            }
        } catch (InterruptedException e) {
            // stopped
        } catch (IOException e) {
            failed.accept(message, e);
        }
    }
}
