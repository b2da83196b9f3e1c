package io.servicescluster.cli;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.manager.ClusterListener;
import io.servicescluster.core.manager.ServiceEvent;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import java.io.PrintStream;

/**
 * Prints a running cluster for people: each output line as {@code name | line}, each lifecycle
 * event as {@code name * event (details)}. Colour only on a terminal. Lines of different
 * services never interleave within a line.
 */
final class ConsolePrinter implements ClusterListener {

    private static final String[] COLOURS = {"\u001b[36m", "\u001b[33m", "\u001b[35m", "\u001b[32m", "\u001b[34m",
        "\u001b[96m", "\u001b[93m", "\u001b[95m"};
    private static final String RED = "\u001b[31m";
    private static final String RESET = "\u001b[0m";

    private final PrintStream out;
    private final boolean colour;
    private final ClusterSpec cluster;
    private final int width;

    ConsolePrinter(PrintStream out, boolean colour, ClusterSpec cluster) {
        this.out = out;
        this.colour = colour;
        this.cluster = cluster;
        this.width = cluster.services().stream().mapToInt(s -> s.name().length()).max().orElse(1);
    }

    /** Colour when standard output is a terminal and neither NO_COLOR nor TERM=dumb says otherwise. */
    static boolean colourWanted() {
        return System.console() != null && System.getenv("NO_COLOR") == null && !"dumb".equals(System.getenv("TERM"));
    }

    @Override
    public void onOutput(String service, OutputStream stream, String line) {
        String name = pad(service);
        String text = colour && stream == OutputStream.STDERR ? RED + line + RESET : line;
        print(colour ? colourOf(service) + name + " |" + RESET + " " + text : name + " | " + text);
    }

    @Override
    public void onEvent(ServiceEvent event) {
        StringBuilder line = new StringBuilder(event.type().wireName());
        if (!event.details().isEmpty()) {
            line.append(' ').append(event.details());
        }
        boolean bad = event.type() == ServiceEvent.Type.FAILED || event.type() == ServiceEvent.Type.CRASHED;
        String name = pad(event.service());
        if (colour) {
            print(colourOf(event.service()) + name + " *" + RESET + " " + (bad ? RED : "\u001b[1m") + line + RESET);
        } else {
            print(name + " * " + line);
        }
    }

    private String pad(String name) {
        return name + " ".repeat(Math.max(0, width - name.length()));
    }

    private String colourOf(String service) {
        int index = 0;
        for (ServiceSpec spec : cluster.services()) {
            if (spec.name().equals(service)) {
                break;
            }
            index++;
        }
        return COLOURS[index % COLOURS.length];
    }

    private synchronized void print(String line) {
        out.println(line);
    }

    synchronized void flush() {
        out.flush();
    }
}
