package io.servicescluster.cli;

import io.servicescluster.core.control.UntrustedText;
import io.servicescluster.core.manager.ExceptionReport;
import io.servicescluster.core.control.UntrustedText;
import io.servicescluster.core.manager.ServiceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The table of {@code svc ps} and {@code svc top}: one row per service, columns aligned. */
final class StatusTable {

    static final List<String> HEADER = List.of("NAME", "STATE", "HEALTH", "CONTAINER", "PID", "UPTIME", "RESTARTS",
            "CPU%", "RSS", "HEAP", "LAST EXCEPTION");
    private static final int MESSAGE_WIDTH = 60;

    private StatusTable() {
    }

    /**
     * The table, a line per service after the header, then a line per service that has a problem,
     * then a line per service that runs with restrictions (R15).
     */
    static String render(List<ServiceStatus> services, Instant now) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (ServiceStatus s : services) {
            rows.add(row(s, now));
        }
        int[] widths = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(row.get(i));
                if (i < row.size() - 1) {
                    line.append(" ".repeat(widths[i] - row.get(i).length() + 2));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        for (ServiceStatus s : services) {
            // a problem may hold a service's own words (a start's failure): each line escaped, indented
            s.problem().ifPresent(p -> out.append(s.name()).append(": ")
                    .append(UntrustedText.escapeKeepingLines(p).replace("\n", "\n    ")).append('\n'));
        }
        for (ServiceStatus s : services) {
            if (!s.restrictions().isEmpty()) {
                out.append(s.name()).append(" is restricted: ").append(String.join("; ", s.restrictions())).append('\n');
            }
        }
        if (services.stream().anyMatch(s -> s.readyRssBytes() > 0)) {
            out.append("RSS +N: a remote kept ready for the service's next start (the warm pool's spare, "
                    + "or one launched ahead while it waits)\n");
        }
        return out.toString();
    }

    /** The current remote's resident memory, then {@code +N} for a remote kept ready for the next start. */
    private static String rss(ServiceStatus s) {
        String current = s.stats().map(st -> bytes(st.rssBytes())).orElse("-");
        return s.readyRssBytes() > 0 ? current + "+" + bytes(s.readyRssBytes()) : current;
    }

    private static List<String> row(ServiceStatus s, Instant now) {
        return List.of(s.name(), s.state().name().toLowerCase(Locale.ROOT), s.health().orElse("-"), s.container(),
                s.pid().isPresent() ? Long.toString(s.pid().getAsLong()) : "-",
                s.runningSince().map(t -> uptime(Duration.between(t, now))).orElse("-"),
                Integer.toString(Math.max(0, s.starts() - 1)),
                s.stats().map(st -> String.format(Locale.ROOT, "%.1f", st.cpuPercent())).orElse("-"),
                rss(s),
                s.stats().map(st -> bytes(st.heapUsedBytes()) + "/" + bytes(st.heapMaxBytes())).orElse("-"),
                s.exceptions().isEmpty() ? "-" : exception(s.exceptions().getLast()));
    }

    /** {@code 42s}, {@code 3m07s}, {@code 2h05m}, {@code 4d03h}. */
    static String uptime(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        if (s < 86400) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", s / 86400, s % 86400 / 3600);
    }

    /** {@code 512B}, {@code 12.3K}, {@code 45.6M}, {@code 1.2G} (powers of 1024). */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + "B";
        }
        String units = "KMGT";
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length() - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f%c", value, units.charAt(unit));
    }

    private static String exception(ExceptionReport e) {
        String name = e.className().substring(e.className().lastIndexOf('.') + 1);
        String text = UntrustedText.escape(e.message().isEmpty() ? name : name + ": " + e.message().replaceAll("\\s+", " "));
        return text.length() > MESSAGE_WIDTH ? text.substring(0, MESSAGE_WIDTH - 1) + "…" : text;
    }
}
