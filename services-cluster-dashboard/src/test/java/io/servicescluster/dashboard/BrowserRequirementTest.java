package io.servicescluster.dashboard;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** Without chromium, a browser test is skipped saying what to install, or fails when SVC_BROWSER_REQUIRED=1. */
class BrowserRequirementTest {

    private static final Path MISSING = Path.of("/nonexistent/chromium");
    private static final Path SHELL = Path.of("/bin/sh");

    @Test
    void aMissingBrowserSkipsSayingWhatToInstall() {
        assertThatThrownBy(() -> Browser.requireBrowser(MISSING, SHELL, false)).isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("/nonexistent/chromium").hasMessageContaining("apt-get install -y chromium chromium-driver");
    }

    @Test
    void aMissingBrowserFailsWhenItIsRequired() {
        assertThatThrownBy(() -> Browser.requireBrowser(SHELL, MISSING, true)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("SVC_BROWSER_REQUIRED=1");
    }

    @Test
    void presentFilesPass() {
        assertThatCode(() -> Browser.requireBrowser(SHELL, SHELL, true)).doesNotThrowAnyException();
    }
}
