package io.servicescluster.remote.apps;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * An application that knows nothing of services-cluster: its {@code main} does what its first
 * argument says. {@code serve}: a non-daemon thread keeps running after main returns, and a
 * shutdown hook prints and writes the file named by the second argument (else {@code hook-ran}); {@code exit N}:
 * prints, then {@code System.exit(N)}; {@code throw}: throws at once; {@code return}: prints and
 * returns with nothing left running; {@code block}: main itself never returns.
 */
public final class PlainApp {

    private PlainApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("args: " + String.join(" ", args));
        switch (args[0]) {
            case "serve" -> {
                CountDownLatch stop = new CountDownLatch(1);
                Thread server = new Thread(() -> {
                    try {
                        stop.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "server");
                server.start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    System.out.println("hook ran, daemon main thread: " + server.isDaemon());
                    try {
                        Files.writeString(Path.of(args.length > 1 ? args[1] : "hook-ran"), "yes");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    stop.countDown();
                }));
            }
            case "exit" -> {
                System.out.print("last words before exit");
                System.exit(Integer.parseInt(args[1]));
            }
            case "throw" -> throw new IllegalStateException("bad arguments: " + args.length);
            case "block" -> new CountDownLatch(1).await();
            case "return" -> System.out.println("done");
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
