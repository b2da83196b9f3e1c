package io.servicescluster.cli;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.control.UntrustedText;
import io.servicescluster.core.manager.ClusterListener;
import io.servicescluster.core.manager.ServiceEvent;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
    /** A status line kept under the output on a terminal; empty when none. */
    private String footer = "";

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
        String safe = UntrustedText.escape(line); // a service's line must not start another or drive the terminal
        String text = colour && stream == OutputStream.STDERR ? RED + safe + RESET : safe;
        print(colour ? colourOf(service) + name + " |" + RESET + " " + text : name + " | " + text);
    }

    @Override
    public void onEvent(ServiceEvent event) {
        StringBuilder line = new StringBuilder(event.type().wireName());
        List<String> more = new ArrayList<>();
        for (Map.Entry<String, Object> detail : event.details().entrySet()) {
            if (detail.getKey().equals("dependsOn")) {
                continue; // for the event log (svc verify); the terminal showed the graph as "waiting: …"
            }
            String[] lines = String.valueOf(detail.getValue()).split("\\R");
            for (int i = 0; i < lines.length; i++) {
                lines[i] = UntrustedText.escape(lines[i]); // reasons and messages hold a service's words
            }
            line.append(' ').append(detail.getKey()).append(": ").append(lines[0]);
            more.addAll(List.of(lines).subList(1, lines.length));
        }
        boolean bad = event.type() == ServiceEvent.Type.FAILED || event.type() == ServiceEvent.Type.CRASHED;
        String name = pad(event.service());
        if (colour) {
            print(colourOf(event.service()) + name + " *" + RESET + " " + (bad ? RED : "\u001b[1m") + line + RESET);
        } else {
            print(name + " * " + line);
        }
        for (String extra : more) {
            print(" ".repeat(width) + "   " + extra);
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

    /** Prints one line as the printer's own, between the services' lines. */
    synchronized void print(String line) {
        if (footer.isEmpty()) {
            out.println(line);
            return;
        }
        out.print("\r\u001b[K");
        out.println(line);
        out.print(footer);
        out.flush();
    }

    /** Shows {@code text} as a status line under the output (terminals only); empty removes it. */
    synchronized void footer(String text) {
        out.print(footer.isEmpty() ? "" : "\r\u001b[K");
        footer = text;
        out.print(text);
        out.flush();
    }

    synchronized void flush() {
        out.flush();
    }
}
