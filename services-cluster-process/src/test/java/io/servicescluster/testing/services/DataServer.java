package io.servicescluster.testing.services;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import io.servicescluster.api.Text;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The dependency side of the data-plane tests. Requests: {@code echo} (the body back), {@code
 * fail} (throws {@code IllegalStateException("bad " + body)}), {@code sleep} (sleeps body ms),
 * {@code publish} (publishes body-many {@code seq} events, payload = index), {@code seqCount}
 * (waits until body-many {@code seq} events arrived, answers {@code COUNT INORDER}). Events: {@code
 * seq} (payload = index; checks the order). {@code thread} (where it runs), {@code gate} (blocks
 * until {@code release}), {@code readers} (how many data reader threads this process has); {@code
 * interrupt}, {@code setLoader}, {@code brokenMessage} leave their thread interrupted, with another
 * context class loader (which {@code loader} tells), or throw an exception whose message throws.
 * Direct handlers ({@code onRequestDirect}): {@code directEcho}, {@code directThread}, {@code
 * directFail}, {@code directLeave} (interrupt and class loader left), {@code directLoader}, {@code
 * directAwaitMark} (waits at most 1 s for {@code mark}: "ran" or "held back"); event {@code awaitMark}
 * waits at most 2 s for request {@code eventMark} ({@code awaitMarkResult}: "saw" or "missed"),
 * event {@code filler} does nothing; {@code
 * duplicate} says what declaring {@code echo} again, direct, did. Setting {@code tickEvery} (ms): publishes {@code tick}
 * with a counter that often. Writes its pid to {@code pid}.
 */
public final class DataServer implements Service {

    private final Object lock = new Object();
    private long received;        // guarded by lock
    private boolean inOrder = true; // guarded by lock
    private volatile boolean closed;
    private final CountDownLatch gate = new CountDownLatch(1);

    @Override
    public void start(ServiceContext context) throws Exception {
        Files.writeString(context.workDir().resolve("pid"), Long.toString(ProcessHandle.current().pid()));
        context.onRequest("echo", body -> body);
        context.onRequestText("fail", body -> {
            throw new IllegalStateException("bad " + body);
        });
        context.onRequest("sleep", body -> {
            Thread.sleep(Long.parseLong(Text.string(body)));
            return body;
        });
        // where a request runs (issue 14, item 5): "platform NAME" or "virtual"
        context.onRequestText("thread", body -> Thread.currentThread().isVirtual() ? "virtual"
                : "platform " + Thread.currentThread().getName());
        // blocks until "release" came (at most 30 s): no handler may stop the connection's reading
        context.onRequestText("gate", body -> gate.await(30, TimeUnit.SECONDS) ? "passed" : "timed out");
        context.onRequestText("release", body -> {
            gate.countDown();
            return "released";
        });
        // what a handler may leave on its thread (issue 14, item 5: a thread that serves reads and serves again):
        // an interrupt (the restored-interrupt idiom), then "interrupted" or, for body "throw", a failure
        context.onRequestText("interrupt", body -> {
            Thread.currentThread().interrupt();
            if (body.equals("throw")) {
                throw new IllegalStateException("interrupted");
            }
            return "interrupted";
        });
        // the handler's context class loader, as "NAME@IDENTITY"; setLoader sets another one
        context.onRequestText("loader", body -> {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            return loader + "@" + System.identityHashCode(loader);
        });
        context.onRequestText("setLoader", body -> {
            Thread.currentThread().setContextClassLoader(new URLClassLoader("stray", new URL[0], null));
            return "set";
        });
        // throws an exception whose getMessage throws
        context.onRequestText("brokenMessage", body -> {
            throw new BrokenMessage();
        });
        // the platform threads of this process that read data connections or serve their requests
        context.onRequestText("readers", body -> Long.toString(Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("sc-data-reader-")).count()));
        // direct handlers (onRequestDirect): run on the thread that read the request
        context.onRequestDirect("directEcho", body -> body);
        context.onRequestDirect("directThread", body -> Text.bytes(Thread.currentThread().isVirtual() ? "virtual"
                : "platform " + Thread.currentThread().getName()));
        context.onRequestDirect("directFail", body -> {
            throw new IllegalStateException("direct:" + Text.string(body));
        });
        context.onRequestDirect("directLeave", body -> { // leaves an interrupt and another class loader on the reader
            Thread.currentThread().interrupt();
            Thread.currentThread().setContextClassLoader(new URLClassLoader("stray", new URL[0], null));
            return body;
        });
        context.onRequestDirect("directLoader", body -> {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            return Text.bytes(loader + "@" + System.identityHashCode(loader));
        });
        // a direct handler that waits (at most 1 s) for "mark", a thread handler's request read just before it
        CountDownLatch marked = new CountDownLatch(1);
        context.onRequestText("mark", body -> {
            marked.countDown();
            return "marked";
        });
        context.onRequestDirect("directAwaitMark", body -> Text.bytes(marked.await(1, TimeUnit.SECONDS) ? "ran" : "held back"));
        // an event handler that waits (at most 2 s) for "eventMark", a request read after it; "filler" does nothing
        CountDownLatch eventMarked = new CountDownLatch(1);
        CountDownLatch awaited = new CountDownLatch(1);
        String[] awaitedSaw = {"not done"};
        context.onRequestText("eventMark", body -> {
            eventMarked.countDown();
            return "marked";
        });
        context.onEvent("awaitMark", (event, payload) -> {
            try {
                awaitedSaw[0] = eventMarked.await(2, TimeUnit.SECONDS) ? "saw" : "missed";
            } catch (InterruptedException e) {
                awaitedSaw[0] = "interrupted";
            }
            awaited.countDown();
        });
        context.onEvent("filler", (event, payload) -> { });
        context.onRequestText("awaitMarkResult", body -> awaited.await(10, TimeUnit.SECONDS) ? awaitedSaw[0] : "not done");
        String duplicate;
        try {
            context.onRequestDirect("echo", body -> body);
            duplicate = "accepted";
        } catch (IllegalStateException e) {
            duplicate = e.getMessage();
        }
        String duplicateAnswer = duplicate;
        context.onRequestText("duplicate", body -> duplicateAnswer);
        context.onRequestText("publish", body -> {
            int count = Integer.parseInt(body);
            for (int i = 0; i < count; i++) {
                context.publish("seq", ByteBuffer.allocate(4).putInt(i).array());
            }
            return "published " + count;
        });
        context.onRequestText("seqCount", body -> {
            long expected = Long.parseLong(body);
            long deadline = System.currentTimeMillis() + 30_000;
            synchronized (lock) {
                while (received < expected && System.currentTimeMillis() < deadline) {
                    lock.wait(100);
                }
                return received + " " + inOrder;
            }
        });
        context.onEvent("seq", (event, payload) -> {
            int index = ByteBuffer.wrap(payload).getInt();
            synchronized (lock) {
                if (index != received) {
                    inOrder = false;
                }
                received++;
                lock.notifyAll();
            }
        });
        String tickEvery = context.settings().get("tickEvery");
        if (tickEvery != null) {
            long every = Long.parseLong(tickEvery);
            Thread.ofPlatform().daemon().name("ticker").start(() -> {
                for (long tick = 0; !closed; tick++) {
                    context.publishText("tick", Long.toString(tick));
                    try {
                        Thread.sleep(every);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }
        System.out.println("serving");
    }

    @Override
    public void close() {
        closed = true;
    }

    /** An exception whose getMessage throws. */
    public static final class BrokenMessage extends IllegalStateException {
        @Override
        public String getMessage() {
            throw new UnsupportedOperationException("no message");
        }
    }
}
