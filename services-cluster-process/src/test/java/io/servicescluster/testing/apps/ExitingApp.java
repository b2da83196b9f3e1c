package io.servicescluster.testing.apps;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A plain application: prints the variable named by its first argument, then waits (on a
 * non-daemon thread, main returns) until a file {@code exit} appears in its working directory and
 * calls {@code System.exit} with the number in it. A shutdown hook writes {@code hook-ran}.
 */
public final class ExitingApp {

    private ExitingApp() {
    }

    public static void main(String[] args) {
        System.out.println(args[0] + "=" + System.getenv(args[0]));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.writeString(Path.of("hook-ran"), "yes");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
        new Thread(() -> {
            Path exit = Path.of("exit");
            try {
                while (!Files.exists(exit)) {
                    Thread.sleep(20); // an application's own loop: polling is its business
                }
                int status = Integer.parseInt(Files.readString(exit).trim());
                System.out.println("exiting with " + status);
                System.exit(status);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "waiter").start();
    }
}
