package io.servicescluster.testing.services;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import java.nio.file.Files;
import java.util.Map;

/**
 * A service whose behaviour the test chooses through settings, so one class covers many cases:
 * {@code startMillis}/{@code closeMillis} (sleep in start/close), {@code failStart} (throw that
 * message from start), {@code failClose} (throw from close), {@code crashAfterMillis} and
 * {@code exitCode} (halt the JVM later), {@code uncaught} (throw that message on a thread),
 * {@code print} (print that many numbered lines to stdout and stderr), {@code strayOutput} (run
 * {@code echo} with that text as a child process that inherits this JVM's standard descriptors),
 * {@code corruptControl} (write a malformed frame into the process container's control pipe,
 * descriptor 4, as native code or a careless child process could), {@code strayBytes} (a child
 * process that inherited this JVM's descriptors writes that many bytes without a line feed),
 * {@code startWhen} (a file
 * in its work directory: the start returns only once the test made it).
 */
public final class Configurable implements Service {

    private Map<String, String> settings;

    @Override
    public void start(ServiceContext context) throws Exception {
        settings = context.settings();
        Files.writeString(context.workDir().resolve("pid"), Long.toString(ProcessHandle.current().pid()));
        sleep("startMillis");
        if (settings.containsKey("startWhen")) {
            while (!Files.exists(context.workDir().resolve(settings.get("startWhen")))) {
                Thread.sleep(10); // the test's own signal, polled: the service has nothing else to do
            }
        }
        if (settings.containsKey("failStart")) {
            throw new IllegalStateException(settings.get("failStart"));
        }
        int lines = Integer.parseInt(settings.getOrDefault("print", "0"));
        for (int i = 1; i <= lines; i++) {
            System.out.println("out " + i);
            System.err.println("err " + i);
        }
        if (settings.containsKey("strayOutput")) {
            new ProcessBuilder("echo", settings.get("strayOutput")).inheritIO().start().waitFor();
        }
        if (settings.containsKey("strayBytes")) {
            new ProcessBuilder("sh", "-c", "head -c " + Long.parseLong(settings.get("strayBytes"))
                    + " /dev/zero | tr '\\0' x; echo").inheritIO().start().waitFor();
        }
        if (settings.containsKey("corruptControl")) {
            try (var pipe = new java.io.FileOutputStream("/dev/fd/4")) {
                pipe.write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            }
        }
        if (settings.containsKey("uncaught")) {
            Thread thread = new Thread(() -> {
                throw new IllegalArgumentException(settings.get("uncaught"));
            }, "worker-1");
            thread.start();
        }
        if (settings.containsKey("crashAfterMillis")) {
            long delay = Long.parseLong(settings.get("crashAfterMillis"));
            int code = Integer.parseInt(settings.getOrDefault("exitCode", "1"));
            Thread.ofPlatform().daemon().start(() -> {
                sleepQuietly(delay);
                Runtime.getRuntime().halt(code);
            });
        }
    }

    @Override
    public void close() throws Exception {
        sleep("closeMillis");
        if (settings.containsKey("failClose")) {
            throw new IllegalStateException(settings.get("failClose"));
        }
    }

    private void sleep(String key) throws InterruptedException {
        long millis = Long.parseLong(settings.getOrDefault(key, "0"));
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
