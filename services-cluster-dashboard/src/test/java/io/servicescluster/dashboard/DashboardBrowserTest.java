package io.servicescluster.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.servicescluster.core.manager.ServiceState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard in a real browser (headless Chromium, see {@link Browser}) on a running
 * six-service cluster ({@link ShopCluster}): one cluster and one browser for the class, the tests
 * in order (each leaves the cluster running).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** The event kinds that change a node's colour, and the state each leads to (as the page has them). */
    private static final Map<String, String> COLOURS = Map.of("created", "created", "starting", "starting",
            "restarting", "starting", "running", "running", "unhealthy", "unhealthy", "closing", "closing",
            "closed", "closed", "failed", "failed", "crashed", "crashed", "destroyed", "destroyed");

    private ChromeDriver driver;
    private ShopCluster cluster;

    @BeforeAll
    void start(@TempDir java.nio.file.Path dir) throws Exception {
        driver = Browser.open();
        cluster = ShopCluster.start(dir);
        driver.get(cluster.dashboard.url().toString());
        await().atMost(WAIT).until(() -> Boolean.TRUE.equals(driver.executeScript("return window.svcDashboard?.ready")));
    }

    @AfterAll
    void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private String state(String service) {
        return node(service).getAttribute("data-state");
    }

    private WebElement node(String service) {
        return driver.findElement(By.cssSelector("#graph .node[data-service='" + service + "']"));
    }

    private void awaitState(String service, String state) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(state(service)).as(service).isEqualTo(state));
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> colourLog() {
        return (List<Map<String, Object>>) driver.executeScript("return window.svcDashboard.colourLog");
    }

    @Test
    @Order(1)
    void showsEveryServiceWithItsStateAndEdges() throws Exception {
        for (String service : ShopCluster.SERVICES) {
            awaitState(service, "running");
            assertThat(node(service).getText()).contains(service);
        }
        // dependsOn: auth<-db, orders<-db,cache, web<-auth,orders, ticker<-cache
        assertThat(driver.findElements(By.cssSelector("#graph .edge.depends"))).hasSize(6);
        // layers by depth: db and cache left of auth and orders, left of web
        assertThat(x("db")).isEqualTo(x("cache")).isLessThan(x("auth"));
        assertThat(x("auth")).isEqualTo(x("orders")).isLessThan(x("web"));
        assertThat(driver.findElement(By.id("connection")).getAttribute("data-connected")).isEqualTo("true");
        screenshot("dashboard-graph");
    }

    /** Takes a screenshot once the timeline shows the last event the page has. */
    private void screenshot(String name) throws Exception {
        await().atMost(WAIT).until(() -> Boolean.TRUE.equals(driver.executeScript(
                "return document.getElementById('timeline').dataset.lastSeq == window.svcDashboard.lastSeq")));
        driver.executeScript("document.getElementById('panel').scrollTop = 0");
        Browser.screenshot(driver, name);
    }

    private double x(String service) {
        return node(service).getRect().getX();
    }

    @Test
    @Order(2)
    void aKilledServiceAndItsDependentsChangeColourInTheOrderOfTheEventLog() throws Exception {
        int mark = colourLog().size();
        long before = cluster.eventLog().getLast().get("seq").asLong();
        long pid = cluster.manager.status("db").pid().orElseThrow();
        assertThat(new ProcessBuilder("kill", "-KILL", Long.toString(pid)).inheritIO().start().waitFor()).isZero();

        awaitState("db", "crashed");
        for (String dependent : List.of("auth", "orders", "web")) {
            awaitState(dependent, "closed");
        }
        List<String> expected = new ArrayList<>();
        Map<String, String> last = new java.util.HashMap<>();
        for (JsonNode event : cluster.eventLog()) {
            String service = event.get("service").asText();
            String colour = COLOURS.get(event.get("event").asText());
            String current = last.get(service);
            if (colour == null || colour.equals("closed") && ("crashed".equals(current) || "failed".equals(current))) {
                continue; // the closed that follows a crash keeps the crash's colour
            }
            last.put(service, colour);
            if (event.get("seq").asLong() > before && !colour.equals(current)) {
                expected.add(service + " " + colour);
            }
        }
        List<String> seen = colourLog().subList(mark, colourLog().size()).stream()
                .map(c -> c.get("service") + " " + c.get("state")).toList();
        assertThat(seen).isEqualTo(expected);
        // the crash first, then its dependents closed deepest-first (R9: web before auth and orders)
        assertThat(seen.getFirst()).isEqualTo("db crashed");
        assertThat(seen.indexOf("web closed")).isLessThan(seen.indexOf("auth closing")).isLessThan(seen.indexOf("auth closed"));
        assertThat(seen.indexOf("web closed")).isLessThan(seen.indexOf("orders closing"));
        assertThat(state("cache")).isEqualTo("running");
        screenshot("dashboard-crash");
    }

    @Test
    @Order(3)
    void startsTheCrashedServiceAgainAfterAConfirmation() {
        node("db").click();
        await().atMost(WAIT).until(() -> driver.findElement(By.id("panel-name")).getText().equals("db"));
        WebElement start = driver.findElement(By.id("action-start"));
        await().atMost(WAIT).until(start::isEnabled);
        // cancelled: nothing is asked of the manager
        start.click();
        assertThat(driver.findElement(By.id("confirm")).isDisplayed()).isTrue();
        assertThat(driver.findElement(By.id("confirm-text")).getText()).contains("Start db");
        driver.findElement(By.id("confirm-cancel")).click();
        assertThat(driver.findElement(By.id("action-result")).getText()).isEmpty();
        assertThat(cluster.manager.status("db").state()).isEqualTo(ServiceState.CLOSED);

        start.click();
        driver.findElement(By.id("confirm-ok")).click();
        for (String service : List.of("db", "auth", "orders", "web")) {
            awaitState(service, "running");
        }
        assertThat(driver.findElement(By.id("action-result")).getText()).isEqualTo("restart: asked");
    }

    @Test
    @Order(4)
    void followsTheLogTailOfAServiceWithAFilterAndShowsItsException() throws Exception {
        node("ticker").click();
        await().atMost(WAIT).until(() -> driver.findElement(By.id("panel-name")).getText().equals("ticker"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(driver.findElement(By.id("log")).getText()).contains("tick "));
        int lines = driver.findElements(By.cssSelector("#log div")).size();
        // live: lines keep coming after the replay
        await().atMost(WAIT).until(() -> driver.findElements(By.cssSelector("#log div")).size() > lines + 5);
        assertThat(driver.findElement(By.id("exceptions")).getText())
                .contains("java.lang.IllegalStateException: no configuration for region eu-west");
        driver.findElement(By.id("log-filter")).sendKeys("tock");
        await().atMost(WAIT).untilAsserted(() -> {
            List<String> visible = driver.findElements(By.cssSelector("#log div")).stream().filter(WebElement::isDisplayed)
                    .map(WebElement::getText).toList();
            assertThat(visible).isNotEmpty().allSatisfy(l -> assertThat(l).startsWith("tock "));
        });
        assertThat(driver.findElements(By.cssSelector("#chart-cpu canvas"))).isNotEmpty();
        screenshot("dashboard-service");
        driver.findElement(By.id("log-filter")).clear();
    }

    @Test
    @Order(5)
    void aReloadDuringABurstOfEventsLosesNone() throws Exception {
        // the burst: restarts of ticker and web, over and over, while the page reloads
        CompletableFuture<Void> burst = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 4; i++) {
                cluster.manager.restart("ticker");
                cluster.manager.restart("web");
                await().atMost(WAIT).until(() -> cluster.manager.status("ticker").state() == ServiceState.RUNNING
                        && cluster.manager.status("web").state() == ServiceState.RUNNING);
            }
        });
        int reloads = 0;
        while (!burst.isDone() || reloads < 2) {
            driver.navigate().refresh();
            reloads++;
            await().atMost(WAIT).until(() -> Boolean.TRUE.equals(driver.executeScript("return window.svcDashboard?.ready")));
            Thread.onSpinWait();
        }
        burst.join();
        long last = cluster.eventLog().getLast().get("seq").asLong();
        await().atMost(WAIT).until(() -> ((Number) driver.executeScript("return window.svcDashboard.lastSeq")).longValue() == last);
        @SuppressWarnings("unchecked")
        List<List<Number>> ranges = (List<List<Number>>) driver.executeScript("return window.svcDashboard.ranges");
        TreeSet<Long> seen = new TreeSet<>();
        for (List<Number> range : ranges) {
            if (range.get(0).longValue() > 0) {
                for (long seq = range.get(0).longValue(); seq <= range.get(1).longValue(); seq++) {
                    seen.add(seq);
                }
            }
        }
        assertThat(ranges).as("one range per page life").hasSizeGreaterThan(reloads);
        assertThat(((Number) driver.executeScript("return window.svcDashboard.gaps")).longValue()).isZero();
        assertThat(seen).containsExactlyElementsOf(cluster.eventLog().stream().map(e -> e.get("seq").asLong()).toList());
        screenshot("dashboard-timeline");
    }
}
