package io.servicescluster.cli;

import io.servicescluster.clusterfile.ClusterFileException;
import io.servicescluster.clusterfile.ClusterFileParser;
import io.servicescluster.clusterfile.ClusterFileParser.CodeChecks;
import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.CleanReport;
import io.servicescluster.core.container.CleanScope;
import io.servicescluster.core.container.ContainerFactory;
import io.servicescluster.core.manager.RunFolders;
import io.servicescluster.core.ops.RunFolder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code svc clean} (SPEC §5): removes what managers that died left for a cluster — each
 * container kind's engine objects, through {@link ContainerFactory#clean} (the command names no
 * kind), and their run folders — never anything of a live manager. Prints one line per thing
 * removed, or {@code nothing to clean}.
 */
@Command(name = "clean", description = "Removes what managers that died (kill -9, a lost host) left behind for a "
        + "cluster: containers, swarm services, pods, run folders.")
final class CleanCommand implements Callable<Integer> {

    @Option(names = "--cluster", paramLabel = "NAME-OR-FILE",
            description = "the cluster: its name or its cluster file (default: the one of ./cluster.yaml, else every "
                    + "cluster)")
    String cluster;

    @Spec
    CommandSpec spec;

    private final List<String> problems = new ArrayList<>();
    private int removed;

    @Override
    public Integer call() {
        Optional<ClusterSpec> file;
        Optional<String> name;
        try {
            file = clusterFile();
            name = file.map(ClusterSpec::name).or(() -> Optional.ofNullable(cluster));
        } catch (IllegalArgumentException e) {
            return fail(e.getMessage());
        }
        List<RunFolder> folders = RunFolder.list().stream().filter(f -> name.isEmpty() || f.cluster().equals(name.get()))
                .toList();
        List<RunFolder> dead = folders.stream().filter(f -> !f.managerAlive()).toList();
        CleanScope scope = new CleanScope(name, services(file, dead), CleanScope.DEFAULT_GRACE);
        for (ContainerFactory factory : factories()) {
            factory.clean(scope, new Printer(factory.kind()));
        }
        Printer host = new Printer("run-folder");
        for (RunFolder folder : dead) {
            try {
                folder.delete();
                host.removed(RunFolders.base().toString(), folder.path().getFileName() + " of cluster '"
                        + folder.cluster() + "', left by manager pid " + folder.pid() + " that died");
            } catch (IOException e) {
                host.failed(folder.path().toString(), "cannot delete it: " + e);
            }
        }
        if (removed == 0 && name.isPresent() && file.isEmpty() && folders.isEmpty() && problems.isEmpty()) {
            return fail("nothing is known here of a cluster named '" + name.get() + "': no manager of it, live or "
                    + "dead, has a run folder under " + RunFolders.base() + ", and no engine holds anything of it"
                    + knownClusters());
        }
        if (removed == 0) {
            out().println("nothing to clean");
            out().flush();
        }
        return problems.isEmpty() ? 0 : OpsCommand.FAILED;
    }

    /** The cluster file meant: {@code --cluster FILE}, else {@code ./cluster.yaml} when no name is given. */
    private Optional<ClusterSpec> clusterFile() {
        Path path;
        if (cluster != null) {
            if (!ClusterLocator.looksLikeFile(cluster)) {
                return Optional.empty();
            }
            path = Path.of(cluster);
            if (!Files.isRegularFile(path)) {
                throw new IllegalArgumentException("no cluster file " + path);
            }
        } else {
            path = Path.of("cluster.yaml");
            if (!Files.isRegularFile(path)) {
                return Optional.empty(); // every cluster
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        return Optional.of(ClusterFiles.read(path, err)
                .orElseThrow(() -> new IllegalArgumentException(path + " is not a valid cluster file (above), so its "
                        + "cluster and engines are unknown")));
    }

    /**
     * The services whose options name the engines: the cluster file's, and those of the files the
     * dead managers ran (a file may have changed since, or be gone: then the default engines only).
     */
    private List<ServiceSpec> services(Optional<ClusterSpec> file, List<RunFolder> dead) {
        List<ServiceSpec> services = new ArrayList<>(file.map(ClusterSpec::services).orElse(List.of()));
        Set<Path> read = new LinkedHashSet<>();
        file.flatMap(ClusterSpec::sourceFile).ifPresent(read::add);
        for (RunFolder folder : dead) {
            Optional<Path> ran = folder.clusterFile().filter(Files::isRegularFile);
            if (ran.isPresent() && read.add(ran.get())) {
                try {
                    services.addAll(ClusterFileParser.parse(ran.get(), CodeChecks.NONE).services());
                } catch (ClusterFileException e) {
                    // changed since into something invalid: its engines are unknown, the defaults remain
                }
            }
        }
        return services;
    }

    /** The container kinds on the class path, each of which cleans its own engines. */
    private List<ContainerFactory> factories() {
        List<ContainerFactory> factories = new ArrayList<>();
        try {
            ServiceLoader.load(ContainerFactory.class).forEach(factories::add);
        } catch (ServiceConfigurationError e) {
            problems.add("a container kind on the class path cannot be loaded: " + e.getMessage());
            spec.commandLine().getErr().println("svc clean: " + problems.getLast());
        }
        return factories;
    }

    private static String knownClusters() {
        Set<String> known = RunFolder.list().stream().map(RunFolder::cluster).collect(Collectors.toCollection(
                java.util.TreeSet::new));
        return known.isEmpty() ? "" : " (clusters with run folders: " + String.join(", ", known) + ")";
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private int fail(String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("svc clean: " + message);
        err.flush();
        return OpsCommand.FAILED;
    }

    /** Prints each removal as {@code KIND ENGINE: removed WHAT} and each problem on stderr, as they come. */
    private final class Printer implements CleanReport {
        private final String kind;

        Printer(String kind) {
            this.kind = kind;
        }

        @Override
        public void removed(String engine, String what) {
            removed++;
            out().println(kind + " " + engine + ": removed " + what);
            out().flush();
        }

        @Override
        public void failed(String engine, String problem) {
            problems.add(problem);
            PrintWriter err = spec.commandLine().getErr();
            err.println("svc clean: " + kind + " " + engine + ": " + problem);
            err.flush();
        }
    }
}
