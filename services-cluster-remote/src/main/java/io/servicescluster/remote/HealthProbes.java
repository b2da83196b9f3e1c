package io.servicescluster.remote;

import io.servicescluster.api.Health;
import io.servicescluster.api.HealthCheck;
import io.servicescluster.protocol.ControlMessage.Probe;
import io.servicescluster.protocol.ControlMessage.ProbeResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the health checks the manager asks for (R16), here inside the container: an HTTP or TCP
 * probe sees the service's own network (a {@code network: false} service's loopback included),
 * and a command runs in the service's sandbox and cgroup. Each probe runs on a thread of its own
 * and is answered once: with its result, or failing at its timeout. A check still running from an
 * earlier probe (a deadlocked service's own check) is not started again: the probe fails at once.
 */
final class HealthProbes {

    private static final int DETAIL_LIMIT = 500;

    private final Outbox outbox;
    private volatile HealthCheck own;
    private volatile Path workDir = Path.of(".");
    /** The last probe's thread (a service has one kind of check), guarded by {@code this}. */
    private Thread running;

    HealthProbes(Outbox outbox) {
        this.outbox = outbox;
    }

    void register(HealthCheck check) {
        own = java.util.Objects.requireNonNull(check, "check");
    }

    boolean hasOwnCheck() {
        return own != null;
    }

    void workDir(Path dir) {
        workDir = dir;
    }

    /** Runs {@code probe} and answers it; returns at once (reader thread). */
    void probe(Probe probe) {
        AtomicBoolean answered = new AtomicBoolean();
        synchronized (this) {
            if (running != null && running.isAlive()) {
                answer(probe, answered, Health.failing("the previous check has not returned"));
                return;
            }
            running = new Thread(() -> answer(probe, answered, run(probe)), "service-health");
            running.setDaemon(true);
            running.start();
        }
        Thread timer = new Thread(() -> {
            try {
                Thread.sleep(Math.max(1, probe.timeoutMillis()));
            } catch (InterruptedException e) {
                return;
            }
            answer(probe, answered, Health.failing("no answer within " + probe.timeoutMillis() + " ms"));
        }, "service-health-timeout");
        timer.setDaemon(true);
        timer.start();
    }

    private void answer(Probe probe, AtomicBoolean answered, Health health) {
        if (answered.compareAndSet(false, true)) {
            String detail = health.detail();
            if (detail.length() > DETAIL_LIMIT) {
                detail = detail.substring(0, DETAIL_LIMIT) + "…";
            }
            outbox.send(new ProbeResult(probe.id(), health.healthy(), detail));
        }
    }

    private Health run(Probe probe) {
        try {
            return switch (probe.kind()) {
                case OWN -> ownCheck();
                case HTTP -> http(probe.target(), probe.timeoutMillis());
                case TCP -> tcp(probe.target(), probe.timeoutMillis());
                case COMMAND -> command(List.of(probe.target().split("\u0000")), probe.timeoutMillis());
            };
        } catch (Exception | LinkageError e) {
            return Health.failing(e.toString());
        }
    }

    private Health ownCheck() throws Exception {
        HealthCheck check = own;
        if (check == null) {
            return Health.failing("the service registered no health check (ServiceContext.health)");
        }
        Health health = check.check();
        return health == null ? Health.failing("the health check returned null") : health;
    }

    /** A 2xx answer to a GET passes. */
    private static Health http(String url, long timeoutMillis) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        int timeout = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeoutMillis));
        connection.setConnectTimeout(timeout);
        connection.setReadTimeout(timeout);
        connection.setInstanceFollowRedirects(false);
        try {
            int status = connection.getResponseCode();
            return status / 100 == 2 ? Health.ok() : Health.failing("HTTP " + status + " from " + url);
        } finally {
            connection.disconnect();
        }
    }

    /** A connection passes. */
    private static Health tcp(String hostPort, long timeoutMillis) throws IOException {
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(hostPort.substring(colon + 1));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeoutMillis)));
            return Health.ok();
        }
    }

    /** Exit status 0 passes; otherwise the status and the last line of its output say why. */
    private Health command(List<String> command, long timeoutMillis) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        // drained on a thread of its own: a command that writes more than a pipe holds still ends
        StringBuilder tail = new StringBuilder();
        Thread drain = new Thread(() -> keepTail(process.getInputStream(), tail), "service-health-output");
        drain.setDaemon(true);
        drain.start();
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            return Health.failing("the command did not end within " + timeoutMillis + " ms");
        }
        drain.join(100);
        if (process.exitValue() == 0) {
            return Health.ok();
        }
        String output;
        synchronized (tail) {
            output = tail.toString().strip();
        }
        String last = output.isEmpty() ? "" : ": " + output.substring(output.lastIndexOf('\n') + 1);
        return Health.failing("the command exited with " + process.exitValue() + last);
    }

    /** Reads {@code in} to its end, keeping its last few KiB. */
    private static void keepTail(InputStream in, StringBuilder tail) {
        byte[] buffer = new byte[4096];
        try (in) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                synchronized (tail) {
                    tail.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    if (tail.length() > 8192) {
                        tail.delete(0, tail.length() - 4096);
                    }
                }
            }
        } catch (IOException ignored) {
            // the command ended or was killed
        }
    }
}
