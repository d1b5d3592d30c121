package io.rustrade.supervisor.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.Supervisor;
import io.rustrade.supervisor.core.SupervisorEngine;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The threads that run {@code SupervisedService} run loops, on any Java version: platform threads unless
 * Spring Boot's virtual threads are active (Java 21 or later, see {@link VirtualThreadRunLoopTests}).
 */
class RunLoopThreadsTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(SupervisorAutoConfiguration.class, LifecycleAutoConfiguration.class))
            .withPropertyValues(
                    "rustrade.supervisor.backoff.base-delay=10ms", "rustrade.supervisor.backoff.jitter=none");

    @Test
    void withVirtualThreadsOffRunLoopsRunOnPlatformThreadsNamedAfterTheService() {
        assertRunsOnPlatformThreads(this.runner.withPropertyValues("spring.threads.virtual.enabled=false"));
    }

    @Test
    void runLoopsRunOnPlatformThreadsByDefault() {
        assertRunsOnPlatformThreads(this.runner);
    }

    @Test
    @EnabledForJreRange(max = JRE.JAVA_20)
    void belowJava21RunLoopsRunOnPlatformThreadsEvenWithVirtualThreadsOn() {
        assertRunsOnPlatformThreads(this.runner.withPropertyValues("spring.threads.virtual.enabled=true"));
    }

    @Test
    void anApplicationsOwnRunLauncherStartsTheRunLoops() {
        List<String> launched = new CopyOnWriteArrayList<>();
        SupervisorEngine.RunLauncher own = (service, run) -> {
            launched.add(service);
            Thread thread = new Thread(run, "own-" + service);
            thread.setDaemon(true);
            thread.start();
        };
        RecordingRunLoop loop = new RecordingRunLoop(0);
        this.runner
                .withPropertyValues("spring.threads.virtual.enabled=true")
                .withBean("ownLauncher", SupervisorEngine.RunLauncher.class, () -> own)
                .withBean("reconciler", RecordingRunLoop.class, () -> loop)
                .run(context -> {
                    assertThat(context)
                            .getBean(SupervisorEngine.RunLauncher.class)
                            .isSameAs(own);
                    await().atMost(Duration.ofSeconds(5)).until(() -> loop.threads.size() == 1);
                    assertThat(launched).containsExactly("reconciler");
                    assertThat(loop.threads.get(0).getName()).isEqualTo("own-reconciler");
                });
    }

    private static void assertRunsOnPlatformThreads(ApplicationContextRunner runner) {
        RecordingRunLoop loop = new RecordingRunLoop(1);
        runner.withBean("reconciler", RecordingRunLoop.class, () -> loop).run(context -> {
            assertThat(context).doesNotHaveBean(SupervisorEngine.RunLauncher.class);
            Supervisor supervisor = context.getBean(Supervisor.class);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> loop.threads.size() == 2
                            && supervisor.service("reconciler").orElseThrow().state() == ServiceState.RUNNING);
            assertThat(loop.threads).as("the failed run and its restart").allSatisfy(thread -> {
                assertThat(thread.getName()).isEqualTo("rustrade-supervisor-reconciler");
                assertThat(RecordingRunLoop.isVirtual(thread)).isFalse();
                assertThat(thread.isDaemon()).isTrue();
            });
        });
    }
}
