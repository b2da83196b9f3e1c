package io.servicescluster.bench.data;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The same load for every transport, run in the client's process: request/reply throughput at 1,
 * 16 and 128 outstanding requests with 64 B and 4 KiB bodies, latency percentiles at one
 * outstanding request, and one-way event throughput. Reports {@code result KEY VALUE} lines.
 */
public final class LoadDriver {

    static final int[] SIZES = {64, 4096};
    static final int[] OUTSTANDING = {1, 16, 128};
    private static final long WARM_MILLIS = 1500;
    private static final long MEASURE_MILLIS = 3000;
    private static final int LATENCY_CALLS = 30_000;
    private static final int EVENTS = 3_000_000;

    private final Transport transport;
    private final Consumer<String> out;

    public LoadDriver(Transport transport, Consumer<String> out) {
        this.transport = transport;
        this.out = out;
    }

    /** Runs every measurement and reports each as it ends. */
    public void runAll() throws Exception {
        for (int size : SIZES) {
            latency(size);
            for (int outstanding : OUTSTANDING) {
                out.accept("result rps." + size + "." + outstanding + " " + throughput(outstanding, size));
            }
        }
        out.accept("result events.64 " + events(64));
    }

    /** Only the latency rows (p50/p99 at one outstanding, each size): what the floor is compared on. */
    public void runLatency() throws Exception {
        for (int size : SIZES) {
            latency(size);
        }
    }

    /** Requests per second with {@code outstanding} requests always in flight. */
    long throughput(int outstanding, int size) throws Exception {
        byte[] body = new byte[size];
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong inFlight = new AtomicLong();
        boolean[] stop = {false};
        Chain chain = new Chain(body, done, failed, inFlight, stop);
        for (int i = 0; i < outstanding; i++) {
            chain.issue();
        }
        Thread.sleep(WARM_MILLIS);
        long start = System.nanoTime();
        long before = done.get();
        Thread.sleep(MEASURE_MILLIS);
        long after = done.get();
        long elapsed = System.nanoTime() - start;
        synchronized (stop) {
            stop[0] = true;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " requests failed");
        }
        return (after - before) * 1_000_000_000L / elapsed;
    }

    /** Issues a new request as each one completes, keeping the number in flight constant. */
    private final class Chain {
        private final byte[] body;
        private final AtomicLong done;
        private final AtomicLong failed;
        private final AtomicLong inFlight;
        private final boolean[] stop;

        Chain(byte[] body, AtomicLong done, AtomicLong failed, AtomicLong inFlight, boolean[] stop) {
            this.body = body;
            this.done = done;
            this.failed = failed;
            this.inFlight = inFlight;
            this.stop = stop;
        }

        void issue() {
            inFlight.incrementAndGet();
            transport.request(body).whenComplete((reply, failure) -> {
                inFlight.decrementAndGet();
                if (failure != null || reply.length != body.length) {
                    failed.incrementAndGet();
                    return;
                }
                done.incrementAndGet();
                boolean stopped;
                synchronized (stop) {
                    stopped = stop[0];
                }
                if (!stopped) {
                    issue();
                }
            });
        }
    }

    /** p50 and p99 of {@value #LATENCY_CALLS} sequential requests, after as many for warm-up. */
    void latency(int size) throws Exception {
        byte[] body = new byte[size];
        long[] nanos = new long[LATENCY_CALLS];
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < LATENCY_CALLS; i++) {
                long start = System.nanoTime();
                CompletableFuture<byte[]> reply = transport.request(body);
                reply.get(30, TimeUnit.SECONDS);
                nanos[i] = System.nanoTime() - start;
            }
        }
        Arrays.sort(nanos);
        out.accept("result p50." + size + " " + nanos[LATENCY_CALLS / 2] / 1000.0);
        out.accept("result p99." + size + " " + nanos[LATENCY_CALLS * 99 / 100] / 1000.0);
    }

    /** One-way events per second, counted until the receiver has them all. */
    long events(int size) throws Exception {
        byte[] payload = new byte[size];
        for (int i = 0; i < 200_000; i++) { // warm-up
            transport.event(payload);
        }
        transport.endEvents();
        long warm = 200_000;
        while (transport.eventsReceived() < warm) {
            Thread.sleep(1);
        }
        long start = System.nanoTime();
        for (int i = 0; i < EVENTS; i++) {
            transport.event(payload);
        }
        transport.endEvents();
        while (transport.eventsReceived() < warm + EVENTS) {
            Thread.sleep(1);
        }
        long elapsed = System.nanoTime() - start;
        return EVENTS * 1_000_000_000L / elapsed;
    }
}
