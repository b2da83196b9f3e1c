package io.servicescluster.testing;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.Permissions;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.testing.services.Attacker;
import io.servicescluster.testing.services.SpawningParent;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import io.servicescluster.core.manager.ServiceStatus;
import io.servicescluster.core.manager.ServicesManager;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A manager in its own JVM, for tests that kill it:
 * {@code ManagerMain STATE_DIR [CLOSE_MILLIS [HEARTBEAT_TIMEOUT_MILLIS]] [--unconfined]
 * [--children=MARKER] [--pool=N]} runs a chain
 * {@code a <- b <- c} of {@link io.servicescluster.testing.services.Configurable} services (each
 * close sleeping {@code CLOSE_MILLIS}, default 0; heartbeats every fifth of the timeout when one
 * is given, else the manager's defaults; {@code --unconfined}: each {@code unconfined: true};
 * {@code --children=MARKER}: {@code a} is an {@link Attacker} that leaves children behind;
 * {@code --bomb}: {@code a} is a {@link SpawningParent} that spawns a child whose source is a compile bomb;
 * {@code --pool=N}: a warm pool of N spares; {@code --read=FILE}: instead of the chain, two
 * {@link io.servicescluster.testing.services.SandboxProbe}s that read FILE and list the manager's
 * home, {@code plain} without {@code permissions} and {@code declared} with FILE in its
 * {@code files.read}), waits
 * until all run, prints
 * {@code run-dir PATH}, one {@code pid NAME PID} line per service and {@code ready}, then waits
 * forever.
 */
public final class ManagerMain {

    private ManagerMain() {
    }

    public static void main(String[] all) throws Exception {
        List<String> flags = Arrays.stream(all).filter(a -> a.startsWith("--")).toList();
        String[] args = Arrays.stream(all).filter(a -> !a.startsWith("--")).toArray(String[]::new);
        Path state = Path.of(args[0]);
        String closeMillis = args.length > 1 ? args[1] : "0";
        boolean unconfined = flags.contains("--unconfined");
        ServiceSpec.Builder a = flags.stream().filter(f -> f.startsWith("--children=")).findFirst()
                .map(f -> ServiceSpec.builder("a").code(CodeSpec.ofClass(Attacker.class.getName(),
                        TestClusters.testClasses())).setting("attack", "children")
                        .setting("marker", f.substring("--children=".length())))
                .or(() -> flags.contains("--bomb") ? Optional.of(ServiceSpec.builder("a")
                        .code(CodeSpec.ofClass(SpawningParent.class.getName(), TestClusters.testClasses()))
                        .setting("spawn", "bomb:bomb").permissions(new Permissions(Optional.empty(), List.of(), true,
                                true))) : Optional.empty())
                .orElseGet(() -> TestClusters.configurable("a"));
        int pool = flags.stream().filter(f -> f.startsWith("--pool=")).findFirst()
                .map(f -> Integer.parseInt(f.substring("--pool=".length()))).orElse(0);
        Optional<String> read = flags.stream().filter(f -> f.startsWith("--read=")).findFirst()
                .map(f -> f.substring("--read=".length()));
        ClusterSpec cluster = read.isPresent() ? ClusterSpec.builder("homes")
                .service(Sandboxes.probe("plain").setting("read", read.get())
                        .setting("list", System.getProperty("user.home")))
                .service(Sandboxes.probe("declared").setting("read", read.get())
                        .permissions(new Permissions(Optional.of(List.of(Path.of(read.get()))), List.of(), true, false)))
                .build()
                : ClusterSpec.builder("orphans").pool(pool)
                .service(a.setting("closeMillis", closeMillis).unconfined(unconfined))
                .service(TestClusters.configurable("b").dependsOn("a").setting("closeMillis", closeMillis)
                        .unconfined(unconfined))
                .service(TestClusters.configurable("c").dependsOn("b").setting("closeMillis", closeMillis)
                        .unconfined(unconfined))
                .build();
        ServicesManager.Builder builder = ServicesManager.builder(cluster).stateDir(state);
        if (args.length > 2) {
            Duration timeout = Duration.ofMillis(Long.parseLong(args[2]));
            builder.heartbeatInterval(timeout.dividedBy(5)).heartbeatTimeout(timeout);
        }
        ServicesManager manager = builder.build();
        manager.start();
        manager.awaitRunning(Duration.ofSeconds(60));
        System.out.println("run-dir " + manager.runDirectory());
        for (ServiceStatus status : manager.status()) {
            status.pid().ifPresent(pid -> System.out.println("pid " + status.name() + " " + pid));
        }
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
