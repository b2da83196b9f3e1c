package io.servicescluster.cli;

/** Whether svc talks to a person at a terminal (not a pipe, a file or a test). */
final class Terminal {

    private Terminal() {
    }

    /**
     * True when standard input and output are a terminal and {@code TERM} is not {@code dumb}.
     * From JDK 22 on {@link System#console()} exists even when redirected, so its
     * {@code isTerminal()} is asked too where present.
     */
    static boolean interactive() {
        java.io.Console console = System.console();
        if (console == null || "dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console exists only on a terminal
        }
    }
}
