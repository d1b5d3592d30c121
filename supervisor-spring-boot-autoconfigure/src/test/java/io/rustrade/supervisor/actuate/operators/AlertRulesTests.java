package io.rustrade.supervisor.actuate.operators;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The shipped Prometheus alert rules are valid, and fire exactly when their tests say, as Prometheus's own
 * {@code promtool} evaluates them. {@code .ci/run} installs {@code promtool} (Debian's {@code prometheus});
 * elsewhere, without it, the test is skipped, saying so — but never in CI.
 */
class AlertRulesTests {

    private static final Path RULES = Path.of("..", "docs", "prometheus");

    @Test
    void theAlertRulesPassPromtoolsCheckAndTheirUnitTests() throws Exception {
        Path promtool = promtool();

        String check = run(promtool, "check", "rules", "rustrade-supervisor-alerts.yml");
        assertThat(check).contains("SUCCESS: 6 rules found");

        String tests = run(promtool, "test", "rules", "rustrade-supervisor-alerts.test.yml");
        assertThat(tests).contains("SUCCESS");
    }

    private static Path promtool() {
        Path found = Stream.of(System.getenv("PATH").split(java.io.File.pathSeparator))
                .map(directory -> Path.of(directory, "promtool"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElse(null);
        if (found == null) {
            String message = "promtool not found on the PATH: install Debian's 'prometheus' package (as .ci/run does)"
                    + " to test the alert rules";
            assertThat(System.getenv("RUSTRADE_CI")).as(message).isNull();
            Assumptions.abort(message);
        }
        return found;
    }

    /** Runs promtool in the rules' directory; answers its output, failing when it does. */
    private static String run(Path promtool, String... arguments) throws IOException, InterruptedException {
        String[] command = Stream.concat(Stream.of(promtool.toString()), Stream.of(arguments))
                .toArray(String[]::new);
        Process process = new ProcessBuilder(command)
                .directory(RULES.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("promtool returned")
                .isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
