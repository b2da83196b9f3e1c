package io.servicescluster.cli;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.protocol.Durations;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.manager.ServicesManager;
import io.servicescluster.core.ops.ControlClient;
import io.servicescluster.core.ops.ManagerInfo;
import io.servicescluster.core.ops.ServiceLogs;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import java.io.PrintWriter;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code svc logs NAME [-f] [--since 10m] [--stdout|--stderr]}: a service's output from its log
 * files (rotated ones included, oldest first), both streams merged in the order the lines came,
 * each line marked {@code out |} or {@code err |}, and a separator where a run or a restart
 * began. {@code -f} follows new lines until Ctrl-C or the cluster ends. Works on a cluster that
 * is not running any more, from the files it left beside its cluster file.
 */
@Command(name = "logs", description = "Prints a service's output (stdout and stderr, merged) from its log files; "
        + "-f follows new lines.")
final class LogsCommand extends OpsCommand {

    private static final long POLL_MILLIS = 100;
    private static final String RED = "\u001b[31m";
    private static final String BOLD = "\u001b[1m";
    private static final String RESET = "\u001b[0m";

    @Parameters(paramLabel = "NAME", description = "the service")
    String service;

    @Option(names = {"-f", "--follow"}, description = "keep printing new lines (until Ctrl-C or the cluster ends)")
    boolean follow;

    @Option(names = "--since", paramLabel = "DURATION-OR-TIME",
            description = "only lines newer than this: a duration back from now (10m, 2h) or a time (2026-11-24T15:00:00Z)")
    String since;

    @Option(names = "--stdout", description = "standard output only, unmarked")
    boolean stdout;

    @Option(names = "--stderr", description = "standard error only, unmarked")
    boolean stderr;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", description = "only the last N lines (before following)")
    Integer lines;

    @Option(names = {"-t", "--timestamps"}, description = "show each line's time stamp")
    boolean timestamps;

    /** One line of a log file and the stream it came from. */
    private record Entry(Instant at, OutputStream stream, String line) {
    }

    @Override
    int run(ManagerInfo manager, ControlClient client) throws Exception {
        Optional<Instant> from = from();
        if (from.isEmpty()) {
            return badSince();
        }
        requireService(manager, client, service);
        if (manager.logDirectory().isEmpty()) {
            return fail("cluster '" + manager.cluster() + "' keeps no log files");
        }
        return show(manager.logDirectory().get(), from.get(), manager::alive);
    }

    /** The cluster of the cluster file is not running: its log files are read all the same. */
    @Override
    int notRunning(ClusterLocator.NotRunning notRunning) throws Exception {
        Optional<Instant> from = from();
        if (from.isEmpty()) {
            return badSince();
        }
        Optional<ClusterSpec> cluster = ClusterFiles.read(notRunning.file(), spec.commandLine().getErr());
        if (cluster.isEmpty()) {
            return fail(notRunning.getMessage() + ", and its file is not valid");
        }
        ClusterSpec stopped = cluster.get();
        Path folder = ServicesManager.logFolder(ServicesManager.defaultStateDir(stopped));
        boolean known = stopped.service(service).isPresent() // or a child it spawned, known by its files
                || Files.exists(folder.resolve(ServiceLogs.fileName(service, OutputStream.STDOUT)));
        if (!known) {
            return fail("no service named '" + service + "' in cluster '" + stopped.name() + "' (services: "
                    + String.join(", ", stopped.services().stream().map(ServiceSpec::name).toList()) + ")");
        }
        if (!Files.isDirectory(folder)) {
            return fail("cluster '" + stopped.name() + "' of " + notRunning.file() + " is not running and left no log files");
        }
        return show(folder, from.get(), () -> false);
    }

    private int show(Path folder, Instant from, BooleanSupplier alive) throws Exception {
        List<OutputStream> streams = stdout == stderr ? List.of(OutputStream.STDOUT, OutputStream.STDERR)
                : List.of(stderr ? OutputStream.STDERR : OutputStream.STDOUT);
        List<LogTail> tails = streams.stream().map(s -> new LogTail(folder.resolve(ServiceLogs.fileName(service, s))))
                .toList();
        boolean colour = Terminal.interactive() && System.getenv("NO_COLOR") == null;
        PrintWriter out = out();
        List<Entry> all = merged(streams, tails, true);
        all.subList(0, lines == null ? 0 : Math.max(0, all.size() - lines)).clear();
        all.stream().filter(e -> !LogLines.before(e.line(), from)).forEach(e -> out.println(format(e, streams, colour)));
        out.flush();
        if (!follow) {
            return 0;
        }
        try (QuitOnInterrupt quit = QuitOnInterrupt.install()) {
            boolean stillAlive;
            do {
                stillAlive = alive.getAsBoolean();
                merged(streams, tails, false).forEach(e -> out.println(format(e, streams, colour)));
                out.flush();
                if (stillAlive) {
                    Thread.sleep(POLL_MILLIS);
                }
            } while (stillAlive);
        } catch (InterruptedException | ClosedByInterruptException e) {
            // Ctrl-C, the way to stop following: it may also land in a read, which closes the file
            out.flush();
        }
        return 0;
    }

    /**
     * The lines of every tail (all of them, or those new since the last call), in the order they
     * came: sorted by time stamp, which the manager keeps increasing across a service's two
     * streams (a line without one goes with the line before it). With both streams, the run
     * separators are taken from stdout only: they are written to both files.
     */
    private static List<Entry> merged(List<OutputStream> streams, List<LogTail> tails, boolean all) throws Exception {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < tails.size(); i++) {
            OutputStream stream = streams.get(i);
            boolean skipSeparators = streams.size() > 1 && stream == OutputStream.STDERR;
            Instant[] last = {Instant.MIN};
            Consumer<String> add = line -> {
                Instant at = LogLines.stamp(line);
                last[0] = at == null ? last[0] : at;
                if (!(skipSeparators && separator(line))) {
                    entries.add(new Entry(last[0], stream, line));
                }
            };
            if (all) {
                tails.get(i).readAll(add);
            } else {
                tails.get(i).readNew(add);
            }
        }
        entries.sort(Comparator.comparing(Entry::at)); // stable: stdout first on a tie (files of old versions)
        return entries;
    }

    private static boolean separator(String line) {
        return LogLines.text(line).startsWith(ServiceLogs.MARKER);
    }

    /** {@code [TIME ]out | text}, or the text alone for one stream; a separator stands alone. */
    private String format(Entry entry, List<OutputStream> streams, boolean colour) {
        String text = LogLines.text(entry.line());
        String stamp = timestamps && entry.line().length() > text.length()
                ? entry.line().substring(0, entry.line().length() - text.length()) : "";
        if (separator(entry.line())) {
            String shown = text.substring("[svc] ".length());
            return stamp + (colour ? BOLD + shown + RESET : shown);
        }
        if (streams.size() == 1) {
            return stamp + text;
        }
        boolean err = entry.stream() == OutputStream.STDERR;
        String marked = (err ? "err | " : "out | ") + text;
        return stamp + (colour && err ? RED + marked + RESET : marked);
    }

    private Optional<Instant> from() {
        try {
            return Optional.of(since == null ? Instant.MIN : parseSince(since));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private int badSince() {
        return fail("--since: '" + since + "' is neither a duration (10m) nor a time (2026-11-24T15:00:00Z)");
    }

    private static Instant parseSince(String text) {
        if (Character.isDigit(text.charAt(0)) && text.contains("T")) {
            return Instant.parse(text);
        }
        return Instant.now().minus(Durations.parse(text));
    }
}
