package io.servicescluster.testing.services;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A hostile service (issue 18) that goes around its own library: it writes control frames of its
 * choosing into the process container's control pipe (descriptor 4), and looks for secrets in
 * its own environment and command line. The setting {@code attack} chooses: {@code stats}
 * (samples no process could have: NaN, negative, {@code Long.MAX_VALUE}), {@code started} (a
 * second {@code Started} after its start), or {@code secrets} (prints {@code /proc/self/environ}
 * and {@code /proc/self/cmdline}, one {@code environ: }/{@code cmdline: } line per entry).
 */
public final class Hostile implements Service {

    private static final int STARTED = 4;
    private static final int STATS = 10;

    @Override
    public void start(ServiceContext context) throws Exception {
        String attack = context.settings().getOrDefault("attack", "");
        switch (attack) {
            case "stats" -> {
                stats(0, Double.NaN, 1, 2, 3);
                stats(-1, -50, -1, -1, -1);
                stats(Long.MAX_VALUE, Double.POSITIVE_INFINITY, Long.MAX_VALUE, 1, Long.MAX_VALUE);
                stats(1, 1, 1L << 40, 1L << 20, 1);
            }
            case "started" -> new Thread(() -> {
                try {
                    Thread.sleep(300); // after the library's own Started
                    frame(STARTED, new byte[] {0}); // a well-formed Started (flag: no check of its own)
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "forger").start();
            case "secrets" -> {
                print("environ", Files.readAllBytes(Path.of("/proc/self/environ")));
                print("cmdline", Files.readAllBytes(Path.of("/proc/self/cmdline")));
            }
            default -> throw new IllegalArgumentException("unknown attack '" + attack + "'");
        }
    }

    private static void print(String what, byte[] nulSeparated) {
        for (String entry : new String(nulSeparated, StandardCharsets.UTF_8).split("\0")) {
            System.out.println(what + ": " + entry);
        }
    }

    private static void stats(long cpuNanos, double cpuPercent, long heapUsed, long heapMax, long rss) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(body);
        out.writeLong(cpuNanos);
        out.writeDouble(cpuPercent);
        out.writeLong(heapUsed);
        out.writeLong(heapMax);
        out.writeLong(rss);
        frame(STATS, body.toByteArray());
    }

    /**
     * One frame in one write: under the pipe's atomic size, so it never interleaves with the
     * frames the remote itself writes (which, while this service prints nothing, are small).
     */
    private static void frame(int type, byte[] body) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(frame);
        out.writeInt(1 + body.length);
        out.writeByte(type);
        out.write(body);
        try (FileOutputStream pipe = new FileOutputStream("/dev/fd/4")) {
            pipe.write(frame.toByteArray());
        }
    }
}
