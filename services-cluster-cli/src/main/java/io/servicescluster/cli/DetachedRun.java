package io.servicescluster.cli;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.manager.RunFolders;
import io.servicescluster.core.manager.ServiceState;
import io.servicescluster.core.manager.ServiceStatus;
import io.servicescluster.core.manager.ServicesManager;
import io.servicescluster.core.ops.ControlClient;
import io.servicescluster.core.ops.ManagerInfo;
import io.servicescluster.core.ops.ManagerRegistry;
import io.servicescluster.dashboard.Dashboard;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code svc run FILE --detach}: starts the manager as a JVM of its own, in a session of its own
 * ({@code setsid}: no controlling terminal, so a closing terminal cannot reach it), standard input
 * from {@code /dev/null}, its output appended to {@code manager.log} in the cluster's state folder
 * (kept after the end, unlike the run folder). Returns once every service is {@code running} or
 * known not to start, as the manager's control socket reports it (SPEC §5): 0 all running, 3 some
 * failed; if the manager ends before that, its exit status and the end of its log.
 */
final class DetachedRun {

    /** The manager's log file in the cluster's state folder. */
    static final String LOG_NAME = "manager.log";
    private static final long POLL_MILLIS = 50;
    private static final int LOG_LINES_SHOWN = 20;

    private DetachedRun() {
    }

    /** Where the detached manager of {@code cluster} writes its output. */
    static Path logFile(ClusterSpec cluster) {
        return ServicesManager.defaultStateDir(cluster).resolve(LOG_NAME);
    }

    /**
     * Starts {@code svc run FILE runArgs… --background} detached and waits as described above.
     *
     * @return the exit status of {@code svc run --detach}
     */
    static int launch(ClusterSpec cluster, Path file, List<String> runArgs, PrintWriter out, PrintWriter err)
            throws IOException, InterruptedException {
        Path log = logFile(cluster);
        Files.createDirectories(log.getParent());
        // appended, never truncated: a manager of this cluster may be running and writing it (the
        // new one then refuses to start, and says so at the end of the log)
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        Files.writeString(log, "--- svc run --detach " + Instant.now() + " ---\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        Process manager = new ProcessBuilder(command(file, runArgs))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true)
                .start();
        Optional<List<ServiceStatus>> settled = awaitSettled(manager);
        if (settled.isEmpty()) {
            int status = manager.exitValue();
            err.println("svc run: the manager ended with status " + status + " before every service was running; "
                    + "the end of its log " + log + ":");
            tail(log, logStart).forEach(line -> err.println("  " + line));
            err.flush();
            return status == 0 ? RunCommand.SERVICE_FAILED : status;
        }
        List<ServiceStatus> down = settled.get().stream().filter(s -> s.state() != ServiceState.RUNNING).toList();
        out.println("svc: cluster '" + cluster.name() + "' runs in the background, manager pid " + manager.pid()
                + "; its output goes to " + log + "; stop it with: svc stop --cluster " + cluster.name());
        // svc run --detach --ui: the URL too, as svc run prints it (svc ui prints it again later)
        for (ManagerInfo info : ManagerRegistry.running()) {
            if (info.pid() == manager.pid()) {
                Dashboard.urlOf(info.socket().getParent()).ifPresent(url -> out.println("dashboard: " + url));
            }
        }
        out.flush();
        for (ServiceStatus service : down) {
            // the problem's first line: a start failure carries the whole stack trace (svc ps shows it)
            err.println("svc run: " + service.name() + " did not start"
                    + service.problem().map(p -> ": " + p.lines().findFirst().orElse("")).orElse(" (a dependency did not)"));
        }
        err.flush();
        return down.isEmpty() ? 0 : RunCommand.SERVICE_FAILED;
    }

    /**
     * The services' status once start-up settled, or empty if the manager ended first. Polls its
     * registry entry, then its control socket: both are files another process writes.
     */
    private static Optional<List<ServiceStatus>> awaitSettled(Process manager) throws InterruptedException {
        while (manager.isAlive()) {
            Optional<ManagerInfo> info = ManagerRegistry.running().stream().filter(m -> m.pid() == manager.pid()).findFirst();
            if (info.isPresent()) {
                try (ControlClient client = ControlClient.connect(info.get().socket())) {
                    while (!client.startupSettled()) {
                        Thread.sleep(POLL_MILLIS);
                    }
                    return Optional.of(client.status());
                } catch (IOException e) {
                    // the manager is ending: its exit status says how
                }
            }
            Thread.sleep(POLL_MILLIS);
        }
        manager.waitFor();
        return Optional.empty();
    }

    /**
     * The detached manager's command: this JVM's java, options and class path, {@code svc run}
     * with the same arguments and {@code --background}, in a new session when {@code setsid} is
     * there (it execs in place, so the pid is the JVM's). A debugger's or agent's option is left
     * out: its port or files are this JVM's.
     */
    private static List<String> command(Path file, List<String> runArgs) {
        List<String> command = new ArrayList<>();
        Sessions.setsid().ifPresent(setsid -> command.add(setsid.toString()));
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> (a.startsWith("-X") || a.startsWith("-D")) && !a.startsWith("-Xdebug") && !a.startsWith("-Xrun"))
                .forEach(command::add);
        // the run folders this svc looks in, also when set in-process (tests)
        Optional.ofNullable(System.getProperty(RunFolders.PROPERTY)).ifPresent(base -> command.add("-D" + RunFolders.PROPERTY + "=" + base));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Svc.class.getName(), "run",
                file.toAbsolutePath().toString(), RunCommand.BACKGROUND));
        command.addAll(runArgs);
        return command;
    }

    /** The last lines of {@code log} written from {@code start} on (this launch's). */
    private static List<String> tail(Path log, long start) throws IOException {
        byte[] all = Files.readAllBytes(log);
        List<String> lines = new String(all, (int) Math.min(start, all.length), (int) Math.max(0, all.length - start),
                java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        return lines.subList(Math.max(0, lines.size() - LOG_LINES_SHOWN), lines.size());
    }
}
