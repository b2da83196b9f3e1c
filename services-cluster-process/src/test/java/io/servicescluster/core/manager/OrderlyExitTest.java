package io.servicescluster.core.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.testing.TestClusters;
import io.servicescluster.testing.services.LateTalker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 §4: "could not deliver every message before exiting" after an orderly close. The
 * controller closed the connection as soon as it read {@code Closed}, so whatever the remote had
 * queued behind it (output of threads that outlive {@code close()}, a heartbeat answer, a
 * statistics sample) met a closed pipe. Now the controller reads to the end of the stream and
 * the remote's flush waits for {@code Closed}, not for a queue that a busy thread never empties.
 */
class OrderlyExitTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path state;

    @Test
    void anOrderlyCloseLosesNothingQueuedAndOutputAfterClosedStillArrives() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("late").service(ServiceSpec.builder("talker")
                .code(CodeSpec.ofClass(LateTalker.class.getName(), TestClusters.testClasses()))).build();
        Queue<String> notable = new ConcurrentLinkedQueue<>();
        AtomicLong lastLate = new AtomicLong();
        AtomicLong lateAfterClosed = new AtomicLong();
        ClusterListener listener = new ClusterListener() {
            private volatile boolean closed;

            @Override
            public void onEvent(ServiceEvent event) {
                if (event.type() == ServiceEvent.Type.CLOSED) {
                    closed = true;
                }
            }

            @Override
            public void onOutput(String service, OutputStream stream, String line) {
                if (line.startsWith("late ")) {
                    lastLate.set(Long.parseLong(line.substring(5)));
                    if (closed) {
                        lateAfterClosed.incrementAndGet();
                    }
                } else {
                    notable.add(stream + " " + line);
                }
            }
        };
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(listener).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            await().atMost(TIMEOUT).until(() -> lastLate.get() > 1000);
        }
        // the shutdown hook's line comes after anything the runtime says on its way out
        await().atMost(TIMEOUT).until(() -> notable.contains("STDERR exited"));
        List<String> said = List.copyOf(notable);
        assertThat(said).contains("STDOUT closing");
        assertThat(said).noneMatch(l -> l.contains("could not deliver"));
        System.out.printf("output lines after closed: %d%n", lateAfterClosed.get());
    }
}
