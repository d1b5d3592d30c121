package io.rustrade.supervisor.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The IDE metadata generated from {@link SupervisorProperties} covers every key of the specification. */
class SupervisorConfigurationMetadataTests {

    private static final String METADATA = "META-INF/spring-configuration-metadata.json";

    @Test
    void everyTopLevelKeyIsDescribedWithItsDefault() throws IOException {
        DocumentContext metadata = JsonPath.parse(readMetadata());
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("enabled", true);
        defaults.put("watchdog-interval", "1s");
        defaults.put("restart", "on-failure");
        defaults.put("start-timeout", "30s");
        defaults.put("stop-timeout", "30s");
        defaults.put("backoff.base-delay", "100ms");
        defaults.put("backoff.max-delay", "60s");
        defaults.put("backoff.jitter", "full");
        defaults.put("backoff.cooldown-period", "5m");
        defaults.put("circuit-breaker.max-failures", 10);
        defaults.put("circuit-breaker.window", "10m");
        defaults.put("circuit-breaker.on-open", "stop");
        defaults.put("circuit-breaker.open-duration", "5m");
        defaults.put("circuit-breaker.max-open-duration", "1h");
        defaults.put("events.history-size", 100);
        defaults.put("restart-dependents", false);
        defaults.forEach((key, value) -> assertThat(property(metadata, key))
                .as(key)
                .containsEntry("defaultValue", value)
                .containsKey("description"));
        for (String key : List.of("include", "exclude", "fatal-exceptions", "services", "groups")) {
            assertThat(property(metadata, key)).as(key).containsKey("description");
        }
    }

    @Test
    void enumKeysHintTheirConfigurationValues() throws IOException {
        DocumentContext metadata = JsonPath.parse(readMetadata());
        assertThat(hintValues(metadata, "restart")).containsExactly("on-failure", "always", "never");
        assertThat(hintValues(metadata, "backoff.jitter")).containsExactly("full", "equal", "decorrelated", "none");
        assertThat(hintValues(metadata, "circuit-breaker.on-open"))
                .containsExactly("stop", "half-open", "shutdown", "failover");
    }

    @Test
    void theGroupsKeyNamesBothStrategies() throws IOException {
        DocumentContext metadata = JsonPath.parse(readMetadata());
        assertThat(property(metadata, "groups").get("description").toString())
                .contains("strategy", "one-for-all", "rest-for-one", "members");
    }

    @Test
    void serviceNamesAreHintedAsBeanNames() throws IOException {
        DocumentContext metadata = JsonPath.parse(readMetadata());
        List<String> providers =
                metadata.read("$.hints[?(@.name == 'rustrade.supervisor.services.keys')].providers[*].name");
        assertThat(providers).containsExactly("spring-bean-reference");
    }

    @Test
    void fatalExceptionsAreHintedAsThrowableClassesSoThatIdesCompleteThem() throws IOException {
        DocumentContext metadata = JsonPath.parse(readMetadata());
        List<String> providers =
                metadata.read("$.hints[?(@.name == 'rustrade.supervisor.fatal-exceptions')].providers[*].name");
        List<String> targets = metadata.read(
                "$.hints[?(@.name == 'rustrade.supervisor.fatal-exceptions')].providers[*].parameters.target");
        assertThat(providers).containsExactly("class-reference");
        assertThat(targets).containsExactly("java.lang.Throwable");
    }

    @Test
    void theObservabilityKeysAreDescribed() throws IOException {
        DocumentContext metadata = JsonPath.parse(readMetadata());
        List<Map<String, Object>> health =
                metadata.read("$.properties[?(@.name == 'management.health.supervisor.enabled')]");
        assertThat(health)
                .singleElement()
                .satisfies(property -> assertThat(property)
                        .containsEntry("type", "java.lang.Boolean")
                        .containsEntry("defaultValue", true)
                        .containsKey("description"));
        List<String> endpointKeys =
                metadata.read("$.properties[?(@.name =~ /management\\.endpoint\\.supervisor\\..*/)].name");
        assertThat(endpointKeys).contains("management.endpoint.supervisor.access");
    }

    private static Map<String, Object> property(DocumentContext metadata, String key) {
        List<Map<String, Object>> matches =
                metadata.read("$.properties[?(@.name == 'rustrade.supervisor." + key + "')]");
        assertThat(matches).as(key).hasSize(1);
        return matches.get(0);
    }

    private static List<String> hintValues(DocumentContext metadata, String key) {
        return metadata.read("$.hints[?(@.name == 'rustrade.supervisor." + key + "')].values[*].value");
    }

    /** The metadata generated for this module, not that of a dependency. */
    private static String readMetadata() throws IOException {
        URL classes =
                SupervisorProperties.class.getProtectionDomain().getCodeSource().getLocation();
        try (InputStream in = new URL(classes, METADATA).openStream()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
