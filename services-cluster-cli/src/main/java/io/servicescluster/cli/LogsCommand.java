package io.servicescluster.cli;

import io.servicescluster.core.config.Durations;
import io.servicescluster.core.ops.ControlClient;
import io.servicescluster.core.ops.ManagerInfo;
import io.servicescluster.core.ops.ServiceLogs;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code svc logs NAME [-f] [--since 10m] [--stderr]}: a service's output from its log files
 * (rotated ones included, oldest first); {@code -f} follows new lines until Ctrl-C or the
 * cluster ends.
 */
@Command(name = "logs", description = "Prints a service's output from its log files; -f follows new lines.")
final class LogsCommand extends OpsCommand {

    @Parameters(paramLabel = "NAME", description = "the service")
    String service;

    @Option(names = {"-f", "--follow"}, description = "keep printing new lines (until Ctrl-C or the cluster ends)")
    boolean follow;

    @Option(names = "--since", paramLabel = "DURATION-OR-TIME",
            description = "only lines newer than this: a duration back from now (10m, 2h) or a time (2026-11-24T15:00:00Z)")
    String since;

    @Option(names = "--stderr", description = "standard error instead of standard output")
    boolean stderr;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", description = "only the last N lines (before following)")
    Integer lines;

    @Option(names = {"-t", "--timestamps"}, description = "show each line's time stamp")
    boolean timestamps;

    @Override
    int run(ManagerInfo manager, ControlClient client) throws Exception {
        Instant from;
        try {
            from = since == null ? Instant.MIN : parseSince(since);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return fail("--since: '" + since + "' is neither a duration (10m) nor a time (2026-11-24T15:00:00Z)");
        }
        requireService(manager, client, service);
        if (manager.logDirectory().isEmpty()) {
            return fail("cluster '" + manager.cluster() + "' keeps no log files");
        }
        Path file = manager.logDirectory().get()
                .resolve(ServiceLogs.fileName(service, stderr ? OutputStream.STDERR : OutputStream.STDOUT));
        PrintWriter out = out();
        Consumer<String> print = line -> {
            if (!LogLines.before(line, from)) {
                out.println(timestamps ? line : LogLines.text(line));
            }
        };
        LogTail tail = new LogTail(file);
        Deque<String> last = new ArrayDeque<>();
        tail.readAll(line -> {
            last.addLast(line);
            if (lines != null && last.size() > lines) {
                last.removeFirst();
            }
        });
        last.forEach(print);
        out.flush();
        if (follow) {
            tail.follow(print, out::flush, manager::alive);
        }
        return 0;
    }

    private static Instant parseSince(String text) {
        if (Character.isDigit(text.charAt(0)) && text.contains("T")) {
            return Instant.parse(text);
        }
        return Instant.now().minus(Durations.parse(text));
    }
}
