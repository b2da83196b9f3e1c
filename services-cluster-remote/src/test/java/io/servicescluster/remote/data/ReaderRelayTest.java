package io.servicescluster.remote.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ReaderRelay} on its own: a "connection" whose reading takes work from a queue and keeps
 * each one for itself, as {@link DataConnection#read} keeps a lone request (hand the reading on,
 * then serve; or serve beside when no thread can read on).
 */
class ReaderRelayTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Runnable END = () -> { };

    private final String name = "relay-test-" + System.nanoTime();
    private final BlockingQueue<Runnable> incoming = new LinkedBlockingQueue<>();
    private final AtomicInteger reading = new AtomicInteger();
    private final AtomicBoolean overlapped = new AtomicBoolean();
    private final ClassLoader loader = ReaderRelayTest.class.getClassLoader();
    private final ReaderRelay relay = new ReaderRelay(this::read, name, loader);

    @AfterEach
    void end() {
        relay.close();
        incoming.add(END);
        await().atMost(TIMEOUT).until(() -> relayThreads().isEmpty());
    }

    /** What DataConnection.read does, with a queue for the socket. */
    private Runnable read() {
        enter();
        try {
            for (;;) {
                Runnable work = incoming.take();
                if (work == END) {
                    relay.close();
                    return null;
                }
                reading.decrementAndGet(); // before the next reader starts
                if (relay.handOn()) {
                    return work;
                }
                enter();
                Thread.ofVirtual().start(work);
            }
        } catch (InterruptedException e) {
            reading.decrementAndGet();
            relay.close();
            return null;
        }
    }

    private void enter() {
        if (reading.incrementAndGet() > 1) {
            overlapped.set(true);
        }
    }

    private void startFirstReader() {
        DirectDataPlane.daemon(() -> {
            Runnable own = read();
            if (own != null) {
                relay.serveThenRead(own);
            }
        }, name, loader);
    }

    private Set<Thread> relayThreads() {
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).forEach(threads::add);
        return threads;
    }

    /** Runs {@code work} as the next lone request and waits until it ran. */
    private void serveAlone(Runnable work) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        incoming.add(() -> {
            try {
                work.run();
            } finally {
                done.countDown();
            }
        });
        assertThat(done.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void oneThreadReadsAtATimeAndAllWorkIsDoneByAFewThreads() throws Exception {
        startFirstReader();
        int count = 20_000;
        CountDownLatch done = new CountDownLatch(count);
        Set<Thread> servers = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < count; i++) {
            boolean blocks = i % 1000 == 0;
            incoming.add(() -> {
                servers.add(Thread.currentThread());
                if (blocks) {
                    sleep(5); // a handler that blocks: the reading goes on meanwhile
                }
                done.countDown();
            });
        }
        assertThat(done.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(overlapped).as("two threads read at once").isFalse();
        assertThat(servers.stream().filter(t -> !t.isVirtual()).count()).as("work done by readers").isPositive();
        // once all is done: the one that reads and those that wait to read again, no more
        await().atMost(TIMEOUT).until(() -> relayThreads().size() <= 1 + ReaderRelay.MAX_IDLE);
        serveAlone(() -> { });
        assertThat(overlapped).isFalse();
    }

    /** A thread whose work threw leaves the count: were it counted still, the relay would refuse to hand on. */
    @Test
    void workThatThrowsLeavesNoThreadCounted() throws Exception {
        startFirstReader();
        Thread.UncaughtExceptionHandler quiet = (thread, thrown) -> { };
        for (int i = 0; i < 2 * ReaderRelay.MAX_THREADS; i++) {
            CountDownLatch thrown = new CountDownLatch(1);
            Thread[] server = new Thread[1];
            incoming.add(() -> {
                server[0] = Thread.currentThread();
                server[0].setUncaughtExceptionHandler(quiet);
                thrown.countDown();
                throw new IllegalStateException("handler broke");
            });
            assertThat(thrown.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            if (!server[0].isVirtual()) {
                server[0].join(TIMEOUT.toMillis());
            }
        }
        Thread[] server = new Thread[1];
        serveAlone(() -> server[0] = Thread.currentThread());
        assertThat(server[0].isVirtual()).as("served on a virtual thread: the relay refused to hand on").isFalse();
    }

    /** What the work left on its thread stays out of the next reading and serving. */
    @Test
    void theNextWorkOnAThreadFindsNoInterruptAndTheServicesLoader() throws Exception {
        startFirstReader();
        ClassLoader stray = new ClassLoader(null) { };
        for (int i = 0; i < 4; i++) {
            serveAlone(() -> {
                Thread.currentThread().setContextClassLoader(stray);
                Thread.currentThread().interrupt();
            });
        }
        AtomicInteger clean = new AtomicInteger();
        for (int i = 0; i < 10; i++) {
            serveAlone(() -> {
                if (!Thread.currentThread().isInterrupted()
                        && Thread.currentThread().getContextClassLoader() == loader) {
                    clean.incrementAndGet();
                }
            });
        }
        assertThat(clean).hasValue(10);
        assertThat(overlapped).isFalse();
    }

    /** An interrupt that reaches a thread waiting to read again (a late timeout of its work) is dropped. */
    @Test
    void anInterruptWhileWaitingToReadAgainIsDropped() throws Exception {
        startFirstReader();
        for (int i = 0; i < 3; i++) {
            Thread[] server = new Thread[1];
            serveAlone(() -> server[0] = Thread.currentThread());
            server[0].interrupt();
        }
        for (int i = 0; i < 10; i++) {
            serveAlone(() -> { });
        }
        assertThat(overlapped).isFalse();
    }

    /** The close ends the threads that wait to read again, and those that serve once they served. */
    @Test
    void closeEndsEveryThread() throws Exception {
        startFirstReader();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        incoming.add(() -> {
            blocked.countDown();
            awaitQuietly(release);
        });
        assertThat(blocked.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 5; i++) {
            serveAlone(() -> { });
        }
        assertThat(relayThreads()).isNotEmpty();
        relay.close();
        incoming.add(END); // the reader learns of the end as from a closed socket
        release.countDown();
        await().atMost(TIMEOUT).until(() -> relayThreads().isEmpty());
        assertThat(relay.handOn()).as("no hand-off once closed").isFalse();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
