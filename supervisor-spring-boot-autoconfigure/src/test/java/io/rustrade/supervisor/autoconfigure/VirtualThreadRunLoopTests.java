package io.rustrade.supervisor.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.Supervisor;
import io.rustrade.supervisor.event.SupervisorApplicationEvent;
import io.rustrade.supervisor.testing.Feed;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;

/**
 * Run loops on virtual threads when Spring Boot's are on. Needs Java 21 or later: the build runs this class
 * on a Java 25 JVM when one is installed (profile {@code virtual-threads-on-java-25}).
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadRunLoopTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(SupervisorAutoConfiguration.class, LifecycleAutoConfiguration.class))
            .withPropertyValues(
                    "spring.threads.virtual.enabled=true",
                    "rustrade.supervisor.backoff.base-delay=10ms",
                    "rustrade.supervisor.backoff.jitter=none");

    private static ServiceState state(Supervisor supervisor, String name) {
        return supervisor.service(name).orElseThrow().state();
    }

    @Test
    void aRunLoopAndItsRestartRunOnVirtualThreadsNamedAfterTheService() {
        RecordingRunLoop loop = new RecordingRunLoop(1);
        this.runner.withBean("reconciler", RecordingRunLoop.class, () -> loop).run(context -> {
            Supervisor supervisor = context.getBean(Supervisor.class);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> loop.threads.size() == 2 && state(supervisor, "reconciler") == ServiceState.RUNNING);
            assertThat(supervisor.service("reconciler").orElseThrow().restarts())
                    .isEqualTo(1);
            assertThat(loop.threads).as("the failed run and its restart").allSatisfy(thread -> {
                assertThat(RecordingRunLoop.isVirtual(thread)).isTrue();
                assertThat(thread.getName()).isEqualTo("rustrade-supervisor-reconciler");
            });

            context.close();
            assertThat(state(supervisor, "reconciler")).isEqualTo(ServiceState.STOPPED);
        });
    }

    @Test
    void theSupervisorsCallAndEventThreadsStayPlatformThreads() {
        List<Thread> startCallers = new CopyOnWriteArrayList<>();
        List<Thread> eventThreads = new CopyOnWriteArrayList<>();
        Feed feed = new Feed("feed") {
            @Override
            public void start() {
                startCallers.add(Thread.currentThread());
                super.start();
            }
        }.failingFirst(1);
        this.runner
                .withBean("feed", Feed.class, () -> feed)
                .withBean("recorder", ApplicationListener.class, () -> (ApplicationListener<SupervisorApplicationEvent>)
                        event -> eventThreads.add(Thread.currentThread()))
                .run(context -> {
                    Supervisor supervisor = context.getBean(Supervisor.class);
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> state(supervisor, "feed") == ServiceState.RUNNING && !eventThreads.isEmpty());
                    assertThat(startCallers).hasSize(2);
                    Thread restart = startCallers.get(1);
                    assertThat(restart.getName()).startsWith("rustrade-supervisor-call-");
                    assertThat(RecordingRunLoop.isVirtual(restart)).isFalse();
                    assertThat(eventThreads).allSatisfy(thread -> {
                        assertThat(thread.getName()).startsWith("rustrade-supervisor-events-");
                        assertThat(RecordingRunLoop.isVirtual(thread)).isFalse();
                    });
                });
    }
}
