package io.servicescluster.bench.data;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The same load for every transport, run in the client's process: request/reply throughput at 1,
 * 16 and 128 outstanding requests with 64 B and 4 KiB bodies, latency percentiles at one
 * outstanding request (sequential calls), the same percentiles of the requests that completed
 * while each throughput run was measured ({@code p50.SIZE.OUTSTANDING}), and one-way event
 * throughput. Reports {@code result KEY VALUE} lines.
 */
public final class LoadDriver {

    static final int[] SIZES = {64, 4096};
    static final int[] OUTSTANDING = {1, 16, 128};
    private static final long WARM_MILLIS = 1500;
    private static final long MEASURE_MILLIS = 3000;
    private static final int LATENCY_CALLS = 30_000;
    private static final int EVENTS = 3_000_000;
    /** At most this many latencies kept per throughput run (8 MiB); beyond, the first ones measured stand for all. */
    private static final int LATENCY_SAMPLES = 1 << 20;

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
                Latencies latencies = new Latencies();
                out.accept("result rps." + size + "." + outstanding + " " + throughput(outstanding, size, latencies));
                out.accept("result p50." + size + "." + outstanding + " " + latencies.percentile(50) / 1000.0);
                out.accept("result p99." + size + "." + outstanding + " " + latencies.percentile(99) / 1000.0);
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

    /**
     * Requests per second with {@code outstanding} requests always in flight; the time from issue to
     * reply of each request that completed in the measured window goes to {@code latencies}.
     */
    long throughput(int outstanding, int size, Latencies latencies) throws Exception {
        byte[] body = new byte[size];
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong inFlight = new AtomicLong();
        boolean[] stop = {false};
        Chain chain = new Chain(body, done, failed, inFlight, stop, latencies);
        for (int i = 0; i < outstanding; i++) {
            chain.issue();
        }
        Thread.sleep(WARM_MILLIS);
        long start = System.nanoTime();
        long before = done.get();
        latencies.measuring = true;
        Thread.sleep(MEASURE_MILLIS);
        latencies.measuring = false;
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
        private final Latencies latencies;

        Chain(byte[] body, AtomicLong done, AtomicLong failed, AtomicLong inFlight, boolean[] stop, Latencies latencies) {
            this.body = body;
            this.done = done;
            this.failed = failed;
            this.inFlight = inFlight;
            this.stop = stop;
            this.latencies = latencies;
        }

        void issue() {
            inFlight.incrementAndGet();
            long issued = System.nanoTime();
            transport.request(body).whenComplete((reply, failure) -> {
                latencies.add(System.nanoTime() - issued);
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

    /** The latencies of the requests completed while a throughput run is measured, from any thread. */
    static final class Latencies {
        private final long[] nanos = new long[LATENCY_SAMPLES];
        private final AtomicInteger count = new AtomicInteger();
        volatile boolean measuring;

        void add(long latency) {
            if (measuring) {
                int i = count.getAndIncrement();
                if (i < nanos.length) {
                    nanos[i] = latency;
                }
            }
        }

        /** The {@code percent}th percentile in nanoseconds, of what was recorded; 0 for nothing. */
        long percentile(int percent) {
            int n = Math.min(count.get(), nanos.length);
            if (n == 0) {
                return 0;
            }
            long[] sorted = Arrays.copyOf(nanos, n);
            Arrays.sort(sorted);
            return sorted[(int) Math.min(n - 1, (long) n * percent / 100)];
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
