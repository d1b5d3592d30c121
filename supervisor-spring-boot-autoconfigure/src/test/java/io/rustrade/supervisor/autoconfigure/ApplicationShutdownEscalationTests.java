package io.rustrade.supervisor.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustrade.supervisor.core.Escalation;
import io.rustrade.supervisor.testing.Feed;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code circuit-breaker.on-open: shutdown} closes the application and exits with status 1 (SPEC §6). */
class ApplicationShutdownEscalationTests {

    static final List<Integer> exits = new CopyOnWriteArrayList<>();

    @Configuration(proxyBeanMethods = false)
    static class RecordingExit {

        @Bean
        Escalation supervisorEscalation(ConfigurableApplicationContext context) {
            return new ApplicationShutdownEscalation(context, exits::add);
        }
    }

    @Test
    void anOpenCircuitWithOnOpenShutdownClosesTheContextAndExitsWithStatusOne() {
        exits.clear();
        Feed feed = new Feed("feed").failingFirst(Integer.MAX_VALUE);
        new ApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(SupervisorAutoConfiguration.class, LifecycleAutoConfiguration.class))
                .withUserConfiguration(RecordingExit.class)
                .withBean("feed", Feed.class, () -> feed)
                .withPropertyValues(
                        "rustrade.supervisor.backoff.base-delay=1ms",
                        "rustrade.supervisor.circuit-breaker.max-failures=3",
                        "rustrade.supervisor.circuit-breaker.on-open=shutdown")
                .run(context -> {
                    await().atMost(Duration.ofSeconds(10)).until(() -> !exits.isEmpty());

                    assertThat(exits).containsExactly(1);
                    assertThat(context.isActive()).isFalse();
                    assertThat(feed.starts).hasValue(3);
                });
    }

    @Test
    void onlyTheFirstEscalationActs() {
        exits.clear();
        org.springframework.context.support.GenericApplicationContext context =
                new org.springframework.context.support.GenericApplicationContext();
        context.refresh();
        ApplicationShutdownEscalation escalation = new ApplicationShutdownEscalation(context, exits::add);

        escalation.escalate("a", new IllegalStateException("a"));
        escalation.escalate("b", new IllegalStateException("b"));

        assertThat(exits).containsExactly(1);
        assertThat(context.isActive()).isFalse();
    }
}
