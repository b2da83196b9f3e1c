package io.servicescluster.testing.services;

import io.servicescluster.api.Peer;
import io.servicescluster.api.PeerUnavailableException;
import io.servicescluster.api.RemoteException;
import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The dependent side of the data-plane tests: after its start, runs the scenarios named in the
 * setting {@code scenarios} (comma-separated) against the dependency named by {@code server}
 * (default {@code server}), one after another on a virtual thread, and prints {@code ok NAME
 * DETAIL} or {@code FAIL NAME STACKTRACE} (on one line) for each.
 */
public final class DataClient implements Service {

    /** The data plane's payload limit (DataCodec.MAX_PAYLOAD), restated: services see the api only. */
    static final int LIMIT = 16 * 1024 * 1024;

    private ServiceContext context;
    private Peer server;
    private Thread scenarios;

    @Override
    public void start(ServiceContext context) {
        this.context = context;
        this.server = context.peer(context.settings().getOrDefault("server", "server"));
        List<String> scenarios = List.of(context.settings().getOrDefault("scenarios", "").split(","));
        this.scenarios = Thread.ofVirtual().name("scenarios").start(() -> {
            for (String scenario : scenarios) {
                run(scenario.trim());
            }
        });
    }

    /** Lets a scenario that is ending (say, one that saw its dependency crash) print its result first. */
    @Override
    public void close() throws InterruptedException {
        scenarios.join(5_000);
    }

    private void run(String scenario) {
        try {
            String detail = switch (scenario) {
                case "echo" -> echo();
                case "failure" -> failure();
                case "timeout" -> timeout();
                case "limit" -> limit();
                case "bulk" -> bulk();
                case "chain" -> chain();
                case "direct" -> direct();
                case "directBeside" -> directBeside();
                case "eventsBeside" -> eventsBeside();
                case "events" -> events();
                case "publish" -> publish();
                case "undeclared" -> undeclared();
                case "crash" -> crash();
                case "blocking" -> blocking();
                case "leftovers" -> leftovers();
                case "interruptedCaller" -> interruptedCaller();
                case "" -> "nothing";
                default -> throw new IllegalArgumentException("unknown scenario " + scenario);
            };
            System.out.println("ok " + scenario + " " + detail);
        } catch (Throwable e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            System.out.println("FAIL " + scenario + " " + trace.toString().replace('\n', '|'));
        }
    }

    /** Many threads, many concurrent requests, every answer checked against its question. */
    private String echo() throws Exception {
        AtomicInteger checked = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < 32; t++) {
            int seed = t;
            threads.add(Thread.ofVirtual().start(() -> {
                Random random = new Random(seed);
                List<byte[]> bodies = new ArrayList<>();
                List<CompletableFuture<byte[]>> replies = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    byte[] body = new byte[random.nextInt(2000)];
                    random.nextBytes(body);
                    bodies.add(body);
                    replies.add(server.request("echo", body));
                }
                for (int i = 0; i < bodies.size(); i++) {
                    if (!Arrays.equals(bodies.get(i), replies.get(i).join())) {
                        errors.add(new AssertionError("reply " + i + " of thread " + seed + " differs"));
                    } else {
                        checked.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (!errors.isEmpty()) {
            throw new AssertionError(errors.size() + " wrong replies: " + errors.get(0).getMessage());
        }
        return Integer.toString(checked.get());
    }

    /**
     * A lone request runs on the thread that read it (no hand-off on its way, issue 14 item 5); six
     * handlers that block — more than a connection has reading threads — stop nothing: the
     * request that releases them is read and served meanwhile; the reading threads stay few.
     * Says {@code PLATFORM-OF-20 GATES-PASSED READERS}.
     */
    private String blocking() throws Exception {
        long onReader = 0;
        for (int i = 0; i < 20; i++) {
            if (server.requestText("thread", "").get().startsWith("platform sc-data-reader-")) {
                onReader++;
            }
        }
        List<CompletableFuture<String>> gates = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            gates.add(server.requestText("gate", Integer.toString(i), Duration.ofSeconds(40)));
        }
        String released = server.requestText("release", "", Duration.ofSeconds(10)).get();
        long passed = gates.stream().map(CompletableFuture::join).filter("passed"::equals).count();
        return onReader + " " + released + " " + passed + " " + server.requestText("readers", "").get();
    }

    /**
     * What a handler leaves on its thread harms no later request, now that a lone request runs on
     * a thread that goes on reading and serving (issue 14, item 5), as it did when each had a
     * virtual thread of its own: an interrupt (the answer is still written, the connection lives),
     * another context class loader; and an exception whose message throws is still answered. Says
     * {@code INTERRUPTED FAILURE-CLASS ECHOED-OF-10 SAME-LOADER-OF-10 BROKEN-CLASS}.
     */
    private String leftovers() throws Exception {
        String interrupted = server.requestText("interrupt", "reply").get();
        RemoteException failed = (RemoteException) failureOf(server.requestText("interrupt", "throw"));
        long echoed = 0;
        for (int i = 0; i < 10; i++) {
            if (server.requestText("echo", "after " + i).get().equals("after " + i)) {
                echoed++;
            }
        }
        String loader = server.requestText("loader", "").get();
        server.requestText("setLoader", "").get();
        long sameLoader = 0;
        for (int i = 0; i < 10; i++) {
            if (server.requestText("loader", "").get().equals(loader)) {
                sameLoader++;
            }
        }
        RemoteException broken = (RemoteException) failureOf(server.requestText("brokenMessage", ""));
        return interrupted + " " + failed.remoteClassName() + " " + echoed + " " + sameLoader + " "
                + broken.remoteClassName();
    }

    /**
     * A caller whose thread is interrupted makes a request: it is sent all the same, and the
     * connection, which all callers share, stays up (an interrupted thread's write would close the
     * channel), so a request of another caller under way meanwhile gets its answer too. Says
     * {@code UNDER-WAY INTERRUPTED}.
     */
    private String interruptedCaller() throws Exception {
        CompletableFuture<String> underWay = server.requestText("sleep", "300");
        CompletableFuture<String> interrupted;
        Thread.currentThread().interrupt();
        try {
            interrupted = server.requestText("echo", "from-interrupted");
        } finally {
            Thread.interrupted();
        }
        return underWay.get() + " " + interrupted.get();
    }

    private String failure() {
        Throwable thrown = failureOf(server.requestText("fail", "input"));
        RemoteException remote = (RemoteException) thrown;
        Throwable missing = failureOf(server.request("nosuch", new byte[0]));
        return remote.remoteClassName() + "|" + remote.remoteMessage() + "|" + missing.getClass().getSimpleName()
                + "|" + missing.getMessage();
    }

    private String timeout() {
        long start = System.nanoTime();
        Throwable perCall = failureOf(server.request("sleep", "3000".getBytes(), Duration.ofMillis(200)));
        long perCallMillis = (System.nanoTime() - start) / 1_000_000;
        start = System.nanoTime();
        Throwable byDefault = failureOf(server.request("sleep", "10000".getBytes())); // requestTimeout setting
        long defaultMillis = (System.nanoTime() - start) / 1_000_000;
        String after = new String(server.request("echo", "still there".getBytes()).join());
        return perCall.getClass().getSimpleName() + "|" + perCallMillis + "|" + byDefault.getClass().getSimpleName()
                + "|" + defaultMillis + "|" + perCall.getMessage() + "|" + after;
    }

    private String limit() {
        byte[] atLimit = new byte[LIMIT];
        atLimit[LIMIT - 1] = 42;
        byte[] reply = server.request("echo", atLimit).join();
        Throwable over = failureOf(server.request("echo", new byte[LIMIT + 1]));
        String sendOver;
        try {
            server.send("seq", new byte[LIMIT + 1]);
            sendOver = "sent?!";
        } catch (IllegalArgumentException e) {
            sendOver = "refused";
        }
        String after = new String(server.request("echo", "after".getBytes()).join());
        return reply.length + "|" + reply[LIMIT - 1] + "|" + over.getClass().getSimpleName() + "|" + over.getMessage()
                + "|" + sendOver + "|" + after;
    }

    /** 100 000 requests, at most 1000 outstanding; every reply must match. */
    private String bulk() throws Exception {
        int total = 100_000;
        Semaphore window = new Semaphore(1000);
        AtomicLong good = new AtomicLong();
        AtomicLong bad = new AtomicLong();
        for (int i = 0; i < total; i++) {
            window.acquire();
            long expected = i;
            server.request("echo", ByteBuffer.allocate(8).putLong(i).array()).whenComplete((reply, failure) -> {
                if (failure == null && ByteBuffer.wrap(reply).getLong() == expected) {
                    good.incrementAndGet();
                } else {
                    bad.incrementAndGet();
                }
                window.release();
            });
        }
        window.acquire(1000);
        return good.get() + " good " + bad.get() + " bad";
    }

    /**
     * 128 chains of 200 requests, each issued from the previous one's reply callback (on the data
     * plane's reader, which hands the write to a flusher); every reply must match.
     */
    private String chain() throws Exception {
        int chains = 128;
        int length = 200;
        AtomicLong good = new AtomicLong();
        AtomicLong bad = new AtomicLong();
        java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(chains);
        for (int c = 0; c < chains; c++) {
            link(c, 0, length, good, bad, ended);
        }
        if (!ended.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new AssertionError(ended.getCount() + " chains did not end; " + good.get() + " good so far");
        }
        return good.get() + " good " + bad.get() + " bad";
    }

    /**
     * Direct handlers ({@code onRequestDirect}): 400 requests at once all run on the reading
     * thread (an {@code onRequest} handler would run most on virtual threads); a failure reaches
     * the caller; what a handler leaves on the reader (an interrupt, a class loader) harms no later
     * request; 128 chains of 200 direct echoes issued from reply callbacks all end (replies held
     * for the end of a read are written); declaring a method twice is refused. Says {@code
     * ON-READER-OF-400 FAILURE-CLASS|MESSAGE ECHOED-OF-10 SAME-LOADER-OF-10 CHAIN-GOOD DUPLICATE}.
     */
    private String direct() throws Exception {
        List<CompletableFuture<String>> threads = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            threads.add(server.requestText("directThread", ""));
        }
        long onReader = threads.stream().map(CompletableFuture::join)
                .filter(thread -> thread.startsWith("platform sc-data-reader-")).count();
        RemoteException failed = (RemoteException) failureOf(server.requestText("directFail", "input"));
        String loader = server.requestText("directLoader", "").get();
        server.requestText("directLeave", "left").get();
        long echoed = 0;
        long sameLoader = 0;
        for (int i = 0; i < 10; i++) {
            if (server.requestText("directEcho", "after " + i).get().equals("after " + i)) {
                echoed++;
            }
            if (server.requestText("directLoader", "").get().equals(loader)) {
                sameLoader++;
            }
        }
        int chains = 128;
        AtomicLong good = new AtomicLong();
        AtomicLong bad = new AtomicLong();
        java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(chains);
        for (int c = 0; c < chains; c++) {
            link("directEcho", c, 0, 200, good, bad, ended);
        }
        if (!ended.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new AssertionError(ended.getCount() + " direct chains did not end; " + good.get() + " good so far");
        }
        return onReader + " " + failed.remoteClassName() + "|" + failed.remoteMessage() + " " + echoed + " " + sameLoader
                + " " + good.get() + (bad.get() == 0 ? "" : " bad " + bad.get()) + " "
                + server.requestText("duplicate", "").get();
    }

    /**
     * A request for a thread handler ({@code mark}) and one for a direct handler that waits for it
     * ({@code directAwaitMark}), sent from a reply's callback on this side's reader: held for the
     * end of its read, both go out in one write and the server reads them together. The thread
     * handler of the first must start although the direct one blocks the server's reader. Says
     * "ran" or "held back".
     */
    private String directBeside() throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        // the reply comes after the callback is attached (which then runs on the reader)
        server.requestText("sleep", "200").whenComplete((reply, failure) -> {
            if (!Thread.currentThread().getName().startsWith("sc-data-reader-")) {
                answer.complete("callback not on the reader: " + Thread.currentThread());
                return;
            }
            server.requestText("mark", "");
            server.requestText("directAwaitMark", "").whenComplete((said, failed) -> {
                if (failed != null) {
                    answer.completeExceptionally(failed);
                } else {
                    answer.complete(said);
                }
            });
        });
        return answer.get(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    /**
     * A slow event handler fills the server's event lane nearly to its limit ({@code awaitMark},
     * which waits for request {@code eventMark}, then fillers); then, from a reply's callback on
     * this side's reader, request {@code eventMark} and a filler that does not fit go out in one
     * write, read together: the reader waits for room in the lane, and the request read before
     * that filler must start meanwhile. Says what {@code awaitMark} saw: "saw" or "missed".
     */
    private String eventsBeside() throws Exception {
        int filler = 64 * 1024;
        server.send("awaitMark", new byte[0]);
        for (int i = 0; i < 255; i++) { // 255 x (64 KiB + 64) + 64: 48 KiB short of the lane's 16 MiB
            server.send("filler", new byte[filler]);
        }
        CompletableFuture<String> sent = new CompletableFuture<>();
        server.requestText("sleep", "200").whenComplete((reply, failure) -> {
            if (!Thread.currentThread().getName().startsWith("sc-data-reader-")) {
                sent.complete("callback not on the reader: " + Thread.currentThread());
                return;
            }
            server.requestText("eventMark", "");
            server.send("filler", new byte[60 * 1024]);
            sent.complete("sent");
        });
        String said = sent.get(10, java.util.concurrent.TimeUnit.SECONDS);
        return said.equals("sent") ? server.requestText("awaitMarkResult", "", Duration.ofSeconds(15)).get() : said;
    }

    private void link(int chain, int step, int length, AtomicLong good, AtomicLong bad,
            java.util.concurrent.CountDownLatch ended) {
        link("echo", chain, step, length, good, bad, ended);
    }

    private void link(String method, int chain, int step, int length, AtomicLong good, AtomicLong bad,
            java.util.concurrent.CountDownLatch ended) {
        long value = (long) chain << 32 | step;
        server.request(method, ByteBuffer.allocate(8).putLong(value).array()).whenComplete((reply, failure) -> {
            if (failure == null && ByteBuffer.wrap(reply).getLong() == value) {
                good.incrementAndGet();
            } else {
                bad.incrementAndGet();
            }
            if (step + 1 < length && failure == null) {
                link(method, chain, step + 1, length, good, bad, ended);
            } else {
                ended.countDown();
            }
        });
    }

    private String events() {
        int total = 100_000;
        for (int i = 0; i < total; i++) {
            server.send("seq", ByteBuffer.allocate(4).putInt(i).array());
        }
        return server.requestText("seqCount", Integer.toString(total)).join();
    }

    private String publish() throws Exception {
        int total = 10_000;
        AtomicInteger received = new AtomicInteger();
        AtomicInteger outOfOrder = new AtomicInteger();
        server.subscribe("seq", (event, payload) -> {
            if (ByteBuffer.wrap(payload).getInt() != received.getAndIncrement()) {
                outOfOrder.incrementAndGet();
            }
        });
        server.requestText("publish", Integer.toString(total)).join();
        long deadline = System.currentTimeMillis() + 30_000;
        while (received.get() < total && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        return received.get() + " received " + outOfOrder.get() + " out of order";
    }

    private String undeclared() {
        try {
            context.peer("nobody");
            return "allowed?!";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** Waits on a long request while the test kills the dependency. */
    private String crash() {
        long start = System.nanoTime();
        CompletableFuture<byte[]> reply = server.request("sleep", "60000".getBytes(), Duration.ofSeconds(60));
        System.out.println("waiting");
        Throwable failure = failureOf(reply);
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (!(failure instanceof PeerUnavailableException)) {
            throw new AssertionError("expected PeerUnavailableException", failure);
        }
        return failure.getClass().getSimpleName() + "|" + millis + "|" + failure.getMessage();
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        try {
            future.join();
        } catch (CompletionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failure");
    }

}
