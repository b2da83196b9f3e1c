package io.servicescluster.core.container.kubernetes;

/** The command of the benchmark's plain pod ({@link RealStartTimeTest}): a JVM that waits to be killed. */
public final class Sleeper {

    private Sleeper() {
    }

    public static void main(String[] args) throws InterruptedException {
        Thread.sleep(Long.MAX_VALUE);
    }
}
