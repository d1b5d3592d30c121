package io.rustrade.supervisor.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The page is self-contained and given the endpoint's address safely. */
class SupervisorDashboardTests {

    private final SupervisorDashboard dashboard = new SupervisorDashboard();

    @Test
    void thePageCallsTheEndpointItIsGivenAndShowsButtonsOnlyWhenItIsWritable() {
        String page = this.dashboard.page("/app/actuator/supervisor", false);

        assertThat(page).contains("var ENDPOINT = '/app/actuator/supervisor';").contains("var WRITABLE = false;");
        assertThat(this.dashboard.page("/actuator/supervisor", true)).contains("var WRITABLE = true;");
    }

    @Test
    void thePageLoadsNothingFromElsewhere() {
        String page = this.dashboard.page("/actuator/supervisor", true);

        assertThat(page)
                .doesNotContain("http://")
                .doesNotContain("https://")
                .doesNotContain("<script src")
                .doesNotContain("<link");
    }

    @Test
    void aContextPathCannotBreakOutOfTheScript() {
        assertThat(SupervisorDashboard.javaScriptString("/a'</script><script>alert(1)//"))
                .isEqualTo("/a\\u0027\\u003c/script\\u003e\\u003cscript\\u003ealert(1)//");
    }
}
