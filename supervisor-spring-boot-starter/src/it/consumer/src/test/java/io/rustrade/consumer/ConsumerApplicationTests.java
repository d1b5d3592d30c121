package io.rustrade.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsumerApplicationTests {

    @Value("${local.server.port}")
    int port;

    @Test
    void theStarterSupervisesTheApplicationsLifecycleBean() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/supervisor"))
                .timeout(Duration.ofSeconds(5))
                .build();

        // The snapshot of a first start can lag the context's start by a moment.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode heartbeat = JsonMapper.builder().build().readTree(response.body()).path("services").path("heartbeat");
            assertThat(heartbeat.path("kind").asString()).isEqualTo("lifecycle");
            assertThat(heartbeat.path("state").asString()).isEqualTo("RUNNING");
        });
    }
}
