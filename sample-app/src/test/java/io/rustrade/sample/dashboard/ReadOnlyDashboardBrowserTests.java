package io.rustrade.sample.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/** With the endpoint read-only, the page shows the services and offers no action. */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "management.endpoint.supervisor.access=read-only",
            "sample.exchange.chaos-rate=0",
            "sample.gateway.refusals=0",
            "sample.reconciler.failure-rate=0"
        })
class ReadOnlyDashboardBrowserTests {

    @LocalServerPort
    int port;

    @Test
    void aReadOnlyEndpointHidesTheButtons() {
        ChromeDriver browser = Browser.start();
        try {
            browser.get("http://localhost:" + this.port + "/supervisor");
            new WebDriverWait(browser, Duration.ofSeconds(10))
                    .until(page -> !page.findElements(By.cssSelector("tr[data-service='orderGateway']"))
                            .isEmpty());

            assertThat(browser.executeScript("return document.querySelectorAll('button, .actions-column').length"))
                    .isEqualTo(0L);
        } finally {
            browser.quit();
        }
    }
}
