package io.servicescluster.dashboard;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Chromium driven by Selenium: Debian's {@code chromium} and {@code chromium-driver}
 * (no download at test time). Without them a test is skipped, saying so, unless
 * {@code SVC_BROWSER_REQUIRED=1} (as {@code .ci/run} sets): then it fails.
 */
final class Browser {

    /** Where Debian puts them; the system properties {@code svc.chromium} and {@code svc.chromedriver} say otherwise. */
    private static final Path CHROMIUM = Path.of(System.getProperty("svc.chromium", "/usr/lib/chromium/chromium"));
    private static final Path DRIVER = Path.of(System.getProperty("svc.chromedriver", "/usr/bin/chromedriver"));

    private Browser() {
    }

    static ChromeDriver open() {
        requireBrowser(CHROMIUM, DRIVER, "1".equals(System.getenv("SVC_BROWSER_REQUIRED")));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --no-sandbox: Chromium's own sandbox refuses to run as root, as CI does
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1050", "--hide-scrollbars");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** Skips the test (or fails it, when {@code required}) if {@code chromium} or {@code driver} is missing. */
    static void requireBrowser(Path chromium, Path driver, boolean required) {
        if (!Files.isExecutable(chromium) || !Files.isExecutable(driver)) {
            String message = "the browser tests need Debian's chromium and chromium-driver (" + chromium + ", " + driver
                    + "): apt-get install -y chromium chromium-driver";
            if (required) {
                fail(message + " (SVC_BROWSER_REQUIRED=1)");
            }
            Assumptions.abort(message);
        }
    }

    /**
     * Saves a screenshot as {@code NAME.png} in {@code target/screenshots}, and in the folder named
     * by the system property {@code svc.screenshots} if set (the README's pictures:
     * {@code -Dsvc.screenshots=$PWD/docs/img}).
     */
    static void screenshot(ChromeDriver driver, String name) throws IOException {
        Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
        Path local = Files.createDirectories(Path.of("target", "screenshots")).resolve(name + ".png");
        Files.copy(shot, local, StandardCopyOption.REPLACE_EXISTING);
        String docs = System.getProperty("svc.screenshots");
        if (docs != null) {
            Files.copy(shot, Files.createDirectories(Path.of(docs)).resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
