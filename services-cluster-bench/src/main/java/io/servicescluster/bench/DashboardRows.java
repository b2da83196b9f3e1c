package io.servicescluster.bench;

import io.servicescluster.bench.services.Trivial;
import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.manager.ClusterListener;
import io.servicescluster.core.manager.ServiceEvent;
import io.servicescluster.core.manager.ServicesManager;
import io.servicescluster.dashboard.Dashboard;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Issue 17's benchmark (u): the dashboard with 100 services and 1,000 events a second. The events
 * go into the dashboard as the manager delivers them (through the listener it registered), so
 * that the rate does not depend on 100 JVMs restarting: each makes one node change colour
 * (running and unhealthy in turn). Measured: from an event's time in the manager to its node's
 * colour change in a headless Chromium (the page records {@code Date.now() - event.time}), p50
 * and p99; and the manager's CPU with the page open, against the same without it (twice 10 s each).
 */
final class DashboardRows {

    private static final Path CHROMIUM = Path.of("/usr/lib/chromium/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WINDOW = Duration.ofSeconds(10);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Bench bench;
    private final int services;
    private final int rate;

    DashboardRows(Bench bench, boolean quick) {
        this.bench = bench;
        this.services = 100;
        this.rate = quick ? 500 : 1000;
    }

    void run(List<String> notes) throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
            notes.add("(u) skipped: needs Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver)");
            return;
        }
        System.out.print("(u) dashboard, " + services + " services, " + rate + " events/s: ");
        Path dir = bench.runFolder();
        ClusterSpec.Builder cluster = ClusterSpec.builder("bench-ui").baseDir(dir);
        for (int i = 0; i < services; i++) {
            // ten layers of ten: each service depends on one of the layer before
            ServiceSpec.Builder service = ServiceSpec.builder(name(i)).code(CodeSpec.ofClass(Trivial.class.getName(),
                    bench.payload()));
            if (i >= 10) {
                service.dependsOn(name(i - 10));
            }
            cluster.service(service);
        }
        ClusterSpec spec = cluster.build();
        Dashboard dashboard = Dashboard.onPort(0);
        ChromeDriver driver = null;
        ScheduledExecutorService injector = Executors.newSingleThreadScheduledExecutor();
        try (ServicesManager manager = ServicesManager.builder(spec).stateDir(dir.resolve("state")).extension(dashboard)
                .build()) {
            // the manager is built, not started: no service runs, and the events below are the only ones
            ClusterListener feed = dashboard.open(spec, dir).getFirst();
            AtomicLong seq = new AtomicLong();
            int perTick = rate / 100;
            injector.scheduleAtFixedRate(() -> {
                for (int i = 0; i < perTick; i++) {
                    long n = seq.incrementAndGet();
                    int service = (int) (n % services);
                    ServiceEvent.Type type = (n / services) % 2 == 0 ? ServiceEvent.Type.RUNNING : ServiceEvent.Type.UNHEALTHY;
                    feed.onEvent(new ServiceEvent(n, Instant.now(), name(service), type,
                            type == ServiceEvent.Type.UNHEALTHY ? Map.of("failures", 1, "detail", "bench") : Map.of()));
                }
            }, 0, 10, TimeUnit.MILLISECONDS);

            driver = open();
            String url = dashboard.url().toString();
            ChromeDriver page = driver;
            load(page, url, seq);
            Thread.sleep(3_000); // warm-up, page open

            // two rounds of: 10 s without a page, then 10 s with one (the machine's other load varies)
            double without = 0;
            double with = 0;
            List<Number> latencies = new java.util.ArrayList<>();
            for (int round = 0; round < 2; round++) {
                page.get("about:blank");
                without += cpuPercent() / 2;
                load(page, url, seq);
                page.executeScript("window.svcDashboard.latencies.length = 0");
                with += cpuPercent() / 2;
                @SuppressWarnings("unchecked")
                List<Number> measured = (List<Number>) page.executeScript("return window.svcDashboard.latencies");
                latencies.addAll(measured);
            }
            long[] sorted = latencies.stream().mapToLong(Number::longValue).sorted().toArray();
            System.out.println("done");
            double p50 = sorted[(int) (sorted.length * 0.50)];
            double p99 = sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))];
            notes.add(String.format(Locale.ROOT, "(u) dashboard, %d services, %d events/s, one page (headless Chromium):"
                    + " event in the manager -> node colour changed in the page: p50 %.0f ms, p99 %.0f ms over %d changes"
                    + " (target p99 < 250 ms: %s); manager CPU (2 x %d s each way): %.2f %% of one core with the page"
                    + " open, %.2f %% without: the page costs %.2f %% (target < 5 %%: %s)", services, rate, p50, p99,
                    sorted.length, p99 < 250 ? "met" : "NOT met", WINDOW.toSeconds(), with, without, with - without,
                    with - without < 5 ? "met" : "NOT met"));
        } finally {
            injector.shutdownNow();
            if (driver != null) {
                driver.quit();
            }
        }
    }

    private static String name(int i) {
        return String.format(Locale.ROOT, "s%02d", i);
    }

    /** Opens the page and waits until it caught up with the events (a reload replays those it missed). */
    private static void load(ChromeDriver page, String url, AtomicLong seq) throws InterruptedException {
        page.get(url);
        await(() -> Boolean.TRUE.equals(page.executeScript("return window.svcDashboard?.ready === true")));
        await(() -> ((Number) page.executeScript("return window.svcDashboard.lastSeq")).longValue() >= seq.get() - 100);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the page did not get there within " + WAIT);
            }
            Thread.sleep(50); // a browser's state: nothing to wait on but polling it
        }
    }

    /** This JVM's CPU over {@link #WINDOW}, in % of one core: the manager, its dashboard and the event source. */
    private static double cpuPercent() throws InterruptedException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Thread.sleep(WINDOW.toMillis());
        return (os.getProcessCpuTime() - cpu0) * 100.0 / (System.nanoTime() - t0);
    }

    private static ChromeDriver open() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,900");
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build(), options);
    }
}
