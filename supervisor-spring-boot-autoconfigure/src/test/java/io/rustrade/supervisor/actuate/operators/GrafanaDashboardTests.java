package io.rustrade.supervisor.actuate.operators;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard has what an import needs: a Prometheus data source asked for at import and used by
 * every panel and query, panels with unique ids laid out inside Grafana's 24 columns without overlapping,
 * and a query in every target.
 */
class GrafanaDashboardTests {

    private static final String DATASOURCE = "${DS_PROMETHEUS}";

    private final DocumentContext dashboard;

    GrafanaDashboardTests() throws IOException {
        this.dashboard = JsonPath.parse(Files.readString(Path.of("..", "docs", "grafana", "rustrade-supervisor.json")));
    }

    @Test
    void theImportAsksForAPrometheusDataSourceThatEveryPanelAndQueryUses() {
        assertThat(this.dashboard.<List<String>>read("$.__inputs[*].name")).containsExactly("DS_PROMETHEUS");
        assertThat(this.dashboard.<List<String>>read("$.__inputs[*].pluginId")).containsExactly("prometheus");
        assertThat(this.dashboard.<List<String>>read("$.panels[*].datasource.uid"))
                .containsOnly(DATASOURCE);
        assertThat(this.dashboard.<List<String>>read("$.panels[*].targets[*].datasource.uid"))
                .containsOnly(DATASOURCE);
        assertThat(this.dashboard.<List<String>>read("$.panels[*].targets[*].expr"))
                .allSatisfy(expr -> assertThat(expr).contains("rustrade_supervisor_"));
    }

    @Test
    void panelsHaveUniqueIdsAndNoneOverlapsOrLeavesTheGrid() {
        List<Map<String, Object>> panels = this.dashboard.read("$.panels[*]");
        assertThat(panels).hasSizeGreaterThanOrEqualTo(10);
        Set<Object> ids = new HashSet<>();
        Set<String> cells = new HashSet<>();
        for (Map<String, Object> panel : panels) {
            assertThat(ids.add(panel.get("id")))
                    .as("id %s unique", panel.get("id"))
                    .isTrue();
            @SuppressWarnings("unchecked")
            Map<String, Integer> grid = (Map<String, Integer>) panel.get("gridPos");
            assertThat(grid.get("x") + grid.get("w"))
                    .as(panel.get("title") + " inside 24 columns")
                    .isLessThanOrEqualTo(24);
            for (int x = grid.get("x"); x < grid.get("x") + grid.get("w"); x++) {
                for (int y = grid.get("y"); y < grid.get("y") + grid.get("h"); y++) {
                    assertThat(cells.add(x + "," + y))
                            .as(panel.get("title") + " overlaps another panel")
                            .isTrue();
                }
            }
        }
    }

    @Test
    void theDashboardIsIdentifiedAndFilteredByJobInstanceAndService() {
        assertThat(this.dashboard.<String>read("$.uid")).isEqualTo("rustrade-supervisor");
        assertThat(this.dashboard.<List<String>>read("$.templating.list[*].name"))
                .containsExactly("job", "instance", "service");
    }
}
