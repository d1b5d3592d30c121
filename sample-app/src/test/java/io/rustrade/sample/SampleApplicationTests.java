package io.rustrade.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.Supervisor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The sample application on a real port. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleApplicationTests {

    @LocalServerPort
    int port;

    @Autowired
    Supervisor supervisor;

    @Test
    void healthAnswersUpOverHttp() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"");
    }

    @Test
    void theWebServersOwnLifecyclesAreLeftAlone() {
        assertThat(this.supervisor.services())
                .extracting(ServiceSnapshot::name)
                .doesNotContain("webServerStartStop", "webServerGracefulShutdown", "applicationTaskExecutor");
    }
}
