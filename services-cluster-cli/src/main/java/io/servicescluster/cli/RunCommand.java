package io.servicescluster.cli;

import io.servicescluster.clusterfile.ClusterFileParser;
import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.Sizes;
import io.servicescluster.core.manager.ClusterListener;
import io.servicescluster.core.manager.ClusterRunningException;
import io.servicescluster.core.manager.InvalidClusterException;
import io.servicescluster.core.manager.ServiceEvent;
import io.servicescluster.core.manager.ServicesManager;
import io.servicescluster.core.ops.LogSettings;
import io.servicescluster.core.ops.Operations;
import io.servicescluster.core.ops.PortUnavailableException;
import io.servicescluster.dashboard.Dashboard;
import io.servicescluster.protocol.Durations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code svc run FILE}: starts the cluster, streams output and states, and closes everything in
 * order on SIGINT/SIGTERM, after {@code --for}, or when nothing is left running.
 */
@Command(name = "run", description = "Runs a cluster until interrupted (Ctrl-C closes it in order; a second Ctrl-C kills it).")
final class RunCommand implements Callable<Integer> {

    /** Exit status: some service failed or crashed during the run. */
    static final int SERVICE_FAILED = 3;
    /** Exit status: a second SIGINT forced the end. */
    static final int FORCED = 130;
    /** The hidden option of the manager that {@code --detach} starts (see {@link DetachedRun}). */
    static final String BACKGROUND = "--background";

    @Parameters(paramLabel = "FILE", description = "the cluster file")
    Path file;

    @Option(names = "--events", paramLabel = "PATH", description = "write the event log (JSON Lines) to PATH")
    Path events;

    @Option(names = "--for", paramLabel = "DURATION",
            description = "close the cluster DURATION after every service is running or failed (e.g. 30s)")
    String runFor;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "serve Prometheus metrics at http://127.0.0.1:PORT/metrics (0: a free port; default: none)")
    Integer metricsPort;

    @Option(names = "--ui", paramLabel = "PORT",
            description = "serve the live dashboard on 127.0.0.1:PORT (0: a free port) and print its URL, token included")
    Integer uiPort;

    @Option(names = "--log-size", paramLabel = "SIZE", defaultValue = "10m",
            description = "rotate a service's log file at this size (default 10m)")
    String logSize;

    @Option(names = "--log-files", paramLabel = "N", defaultValue = "5",
            description = "rotated log files kept per stream (default 5)")
    int logFiles;

    @Option(names = "--detach",
            description = "run the manager in the background: return once every service is running or failed, "
                    + "printing its pid (its output goes to .svc/CLUSTER/manager.log); svc stop ends it")
    boolean detach;

    /** This is the manager that {@code --detach} started: SIGHUP is ignored, nothing is coloured. */
    @Option(names = BACKGROUND, hidden = true)
    boolean background;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Optional<Duration> duration;
        try {
            duration = Optional.ofNullable(runFor).map(Durations::parse);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("svc run: --for: " + e.getMessage());
            return Svc.INVALID;
        }
        if (metricsPort != null && (metricsPort < 0 || metricsPort > 65_535)) {
            spec.commandLine().getErr().println("svc run: --metrics-port " + metricsPort + ": not a port (0 to 65535; 0 takes a free one)");
            return Svc.INVALID;
        }
        if (uiPort != null && (uiPort < 0 || uiPort > 65_535)) {
            spec.commandLine().getErr().println("svc run: --ui " + uiPort + ": not a port (0 to 65535; 0 takes a free one)");
            return Svc.INVALID;
        }
        Optional<ClusterSpec> cluster = ClusterFiles.read(file, ClusterFileParser.CodeChecks.ENTRIES, spec.commandLine().getErr());
        if (cluster.isEmpty()) {
            return Svc.INVALID;
        }
        if (events != null && Files.exists(events) && Files.isSameFile(events, file)) {
            // the event log truncates its file as it opens: that would erase the cluster file
            spec.commandLine().getErr().println("svc run: --events " + events + " is the cluster file: the event log "
                    + "would overwrite it; give another path");
            return Svc.INVALID;
        }
        LogSettings logSettings;
        try {
            logSettings = LogSettings.DEFAULT.withMaxFileBytes(Sizes.parseBytes(logSize)).withKeptFiles(logFiles);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("svc run: --log-size/--log-files: " + e.getMessage());
            return Svc.INVALID;
        }
        if (detach) {
            return DetachedRun.launch(cluster.get(), file, passedOn(), spec.commandLine().getOut(), spec.commandLine().getErr());
        }
        ConsolePrinter printer = new ConsolePrinter(System.out, !background && ConsolePrinter.colourWanted(), cluster.get());
        boolean terminal = Terminal.interactive();
        AtomicBoolean failures = new AtomicBoolean();
        // without --ui, a dashboard served on demand: svc ui asks for it over the control socket
        Dashboard dashboard = uiPort == null ? Dashboard.onDemand() : Dashboard.onPort(uiPort);
        Operations operations = Operations.builder().controlEndpoint(true).logFiles(logSettings)
                .metricsPort(metricsPort == null ? -1 : metricsPort).dashboardOnDemand(dashboard).build();
        ServicesManager.Builder builder = ServicesManager.builder(cluster.get()).listener(printer)
                .listener(new ClusterListener() {
                    @Override
                    public void onEvent(ServiceEvent event) {
                        if (event.type() == ServiceEvent.Type.FAILED || event.type() == ServiceEvent.Type.CRASHED) {
                            failures.set(true);
                        }
                    }
                })
                .listener(new StartupProgress(cluster.get(), terminal ? null : printer::print, terminal ? printer::footer : null))
                .extension(operations);
        builder.extension(dashboard);
        if (events != null) {
            builder.eventLog(events);
        }
        ServicesManager manager;
        try {
            manager = builder.build();
        } catch (InvalidClusterException e) {
            e.problems().forEach(spec.commandLine().getErr()::println);
            return Svc.INVALID;
        } catch (ClusterRunningException e) {
            // a usage error, as for an invalid file: nothing was started, nothing else was touched
            spec.commandLine().getErr().println("svc run: cluster '" + e.cluster() + "' is already running (manager pid "
                    + (e.pid().isPresent() ? Long.toString(e.pid().getAsLong()) : "unknown") + "); stop it with svc stop --cluster "
                    + e.cluster());
            return Svc.INVALID;
        } catch (java.io.UncheckedIOException e) {
            String option = !(e.getCause() instanceof PortUnavailableException p) ? ""
                    : uiPort != null && p.port() == uiPort && (metricsPort == null || !metricsPort.equals(uiPort))
                            ? "--ui " + uiPort + ": " : "--metrics-port " + metricsPort + ": ";
            spec.commandLine().getErr().println("svc run: " + option + e.getCause().getMessage());
            return Svc.INVALID;
        }
        operations.metricsPort().ifPresent(port ->
                System.err.println("svc: metrics at http://127.0.0.1:" + port + "/metrics"));
        if (uiPort != null) {
            // on stdout, as SPEC §5 says; the URL carries the token, and stdout is the user's own
            System.out.println("dashboard: " + dashboard.url());
            System.out.flush();
        }
        CompletableFuture<Integer> forced = new CompletableFuture<>();
        // set before the kill: the kill's own ends may let the cluster terminate before it returns
        AtomicBoolean forcing = new AtomicBoolean();
        Interrupts.install(!background, manager::stop, () -> {
            forcing.set(true);
            manager.kill();
            forced.complete(FORCED);
        });
        manager.start();
        duration.ifPresent(d -> manager.whenStartupSettled()
                .thenRun(() -> CompletableFuture.delayedExecutor(d.toMillis(), TimeUnit.MILLISECONDS).execute(manager::stop)));
        manager.whenIdle().thenRun(manager::stop);
        CompletableFuture<Integer> ended = manager.whenTerminated().thenApply(v -> {
            manager.close();
            return forcing.get() ? FORCED : failures.get() ? SERVICE_FAILED : 0;
        });
        int status = CompletableFuture.anyOf(ended, forced).thenApply(Integer.class::cast).join();
        printer.flush();
        return status;
    }

    /** The options a detached manager runs with: this command's, but {@code --detach}. */
    private List<String> passedOn() {
        List<String> args = new ArrayList<>(List.of("--log-size", logSize, "--log-files", Integer.toString(logFiles)));
        if (events != null) {
            args.addAll(List.of("--events", events.toAbsolutePath().toString()));
        }
        if (runFor != null) {
            args.addAll(List.of("--for", runFor));
        }
        if (metricsPort != null) {
            args.addAll(List.of("--metrics-port", metricsPort.toString()));
        }
        if (uiPort != null) {
            args.addAll(List.of("--ui", uiPort.toString()));
        }
        return args;
    }
}
