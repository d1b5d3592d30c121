package io.rustrade.sample.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver. Both paths are given to Selenium, so it
 * never looks for, or downloads, a browser or a driver of its own. {@code .ci/run} installs both packages;
 * elsewhere, without them, the browser tests are skipped, saying so — never in CI.
 */
final class Browser {

    private static final String BROWSER = System.getProperty("rustrade.test.chromium", "/usr/bin/chromium");

    private static final String DRIVER = System.getProperty("rustrade.test.chromedriver", "/usr/bin/chromedriver");

    private Browser() {}

    static ChromeDriver start() {
        if (!new File(BROWSER).canExecute() || !new File(DRIVER).canExecute()) {
            String message = "No browser for the dashboard tests: install Debian's 'chromium' and 'chromium-driver'"
                    + " (as .ci/run does), or set -Drustrade.test.chromium and -Drustrade.test.chromedriver";
            assertThat(System.getenv("RUSTRADE_CI")).as(message).isNull();
            Assumptions.abort(message);
        }
        Path profile;
        try {
            profile = Files.createTempDirectory("dashboard-chromium");
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1600,900",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
        return driver;
    }
}
