package io.rustrade.sample.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The operators' page of the running sample, in a real browser: it lists the services, follows a crash and
 * the recovery that follows without being reloaded, and its buttons act on the services.
 */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "sample.exchange.chaos-rate=0",
            "sample.gateway.refusals=0",
            "sample.reconciler.failure-rate=0",
            // Backing off long enough for a page that polls every second to show it.
            "rustrade.supervisor.services.orderGateway.backoff.base-delay=3s",
            "rustrade.supervisor.services.orderGateway.backoff.jitter=none"
        })
class DashboardBrowserTests {

    private static final Duration BOUND = Duration.ofSeconds(10);

    @LocalServerPort
    int port;

    private ChromeDriver browser;

    @BeforeEach
    void open() {
        this.browser = Browser.start();
        this.browser.get("http://localhost:" + this.port + "/supervisor");
    }

    @AfterEach
    void close() {
        if (this.browser != null) {
            this.browser.quit();
        }
    }

    /**
     * The text of the first element matching {@code css}, or null: read in one script, since the page may
     * rebuild a row between two WebDriver commands.
     */
    private String text(String css) {
        return (String) this.browser.executeScript(
                "var e = document.querySelector(arguments[0]); return e ? e.textContent : null;", css);
    }

    /** Clicks the element in one script, for the same reason. */
    private void click(String css) {
        this.browser.executeScript("document.querySelector(arguments[0]).click();", css);
    }

    private String state(String service) {
        String state = text("tr[data-service='" + service + "'] [data-state]");
        return (state != null) ? state : "";
    }

    private void awaitState(String service, String state) {
        new WebDriverWait(this.browser, BOUND).until(page -> state.equals(state(service)));
    }

    @Test
    void thePageListsEveryServiceWithItsStateAndActions() throws Exception {
        awaitState("orderGateway", "RUNNING");
        awaitState("marketDataFeed", "RUNNING");

        assertThat(this.browser.executeScript("return Array.prototype.map.call(document.querySelectorAll("
                        + "'tbody tr'), function (row) { return row.getAttribute('data-service'); });"))
                .isEqualTo(List.of("marketDataFeed", "orderGateway", "positionReconciler", "pricingEngine"));
        assertThat(text("tr[data-service='pricingEngine']")).contains("group trading");
        assertThat(this.browser.executeScript("return Array.prototype.map.call(document.querySelectorAll("
                        + "\"tr[data-service='orderGateway'] button\"), function (b) { return b.textContent; });"))
                .isEqualTo(List.of("restart", "stop", "start", "reset"));
        click("details[data-service='orderGateway'] summary");
        new WebDriverWait(this.browser, BOUND).until(page -> {
            String events = text("details[data-service='orderGateway'] .timeline");
            return events != null && events.contains("started");
        });
        // The picture in the README.
        Path screenshot = this.browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(screenshot, Path.of("target", "dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void aCrashedServiceTurnsBackingOffThenRunningOnThePageWithoutAReload() throws Exception {
        awaitState("orderGateway", "RUNNING");
        this.browser.executeScript("document.body.dataset.loadedOnce = 'yes'");

        HttpResponse<String> crash = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/chaos/orderGateway"))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(crash.statusCode()).isLessThan(300);

        awaitState("orderGateway", "BACKING_OFF");
        assertThat(text("tr[data-service='orderGateway'] .countdown"))
                .as("the next restart, counting down")
                .startsWith("in ");
        awaitState("orderGateway", "RUNNING");
        assertThat(this.browser.executeScript("return document.body.dataset.loadedOnce"))
                .isEqualTo("yes");
        assertThat(text("tr[data-service='orderGateway'] .failure"))
                .contains("Crash requested through /chaos/orderGateway");
    }

    @Test
    void theRestartButtonRestartsTheService() {
        awaitState("marketDataFeed", "RUNNING");

        click("tr[data-service='marketDataFeed'] button[data-action='restart']");

        new WebDriverWait(this.browser, BOUND)
                .until(page -> "restart marketDataFeed: RUNNING".equals(text("#message")));
        new WebDriverWait(this.browser, BOUND)
                .until(page -> "1".equals(text("tr[data-service='marketDataFeed'] .restarts")));
    }

    @Test
    void whileTheEndpointCannotBeReachedThePageSaysSoAndItRecoversAfter() {
        awaitState("orderGateway", "RUNNING");
        // The network between the browser and the application fails: every call is refused.
        this.browser.executeScript("window.realFetch = window.fetch;"
                + " window.fetch = function () { return Promise.reject(new Error('network down')); };");

        new WebDriverWait(this.browser, BOUND).until(page -> {
            String status = text("#status");
            return status != null && status.startsWith("The supervisor endpoint is unreachable (network down)");
        });
        assertThat(state("orderGateway")).as("the last known state stays shown").isEqualTo("RUNNING");

        this.browser.executeScript("window.fetch = window.realFetch;");
        new WebDriverWait(this.browser, BOUND).until(page -> {
            String status = text("#status");
            return status != null && status.startsWith("4 services, updated");
        });
    }
}
