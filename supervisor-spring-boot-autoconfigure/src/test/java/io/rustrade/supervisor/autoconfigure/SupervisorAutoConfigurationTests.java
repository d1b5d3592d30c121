package io.rustrade.supervisor.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustrade.supervisor.CircuitOpenAction;
import io.rustrade.supervisor.RestartPolicy;
import io.rustrade.supervisor.ServiceKind;
import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.Supervisor;
import io.rustrade.supervisor.autoconfigure.TestLifecycles.FinalGateway;
import io.rustrade.supervisor.autoconfigure.TestLifecycles.Reconciler;
import io.rustrade.supervisor.autoconfigure.TestLifecycles.RecordConsumer;
import io.rustrade.supervisor.core.Escalation;
import io.rustrade.supervisor.core.SupervisorEngine;
import io.rustrade.supervisor.event.ServiceFailedEvent;
import io.rustrade.supervisor.event.ServiceRestartScheduledEvent;
import io.rustrade.supervisor.event.ServiceStartedEvent;
import io.rustrade.supervisor.event.SupervisorApplicationEvent;
import io.rustrade.supervisor.testing.Feed;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;
import org.springframework.context.support.DefaultLifecycleProcessor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/** The auto-configuration in an application context (SPEC §2, §7, §8, §12). */
@ExtendWith(OutputCaptureExtension.class)
class SupervisorAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(SupervisorAutoConfiguration.class, LifecycleAutoConfiguration.class))
            .withPropertyValues(
                    "rustrade.supervisor.backoff.base-delay=10ms", "rustrade.supervisor.backoff.jitter=none");

    private static ServiceSnapshot service(Supervisor supervisor, String name) {
        return supervisor.service(name).orElseThrow();
    }

    @Test
    void aSmartLifecycleBeanIsSupervisedAndStartedWithTheContext() {
        this.runner.withBean("feed", Feed.class, () -> new Feed("feed")).run(context -> {
            Supervisor supervisor = context.getBean(Supervisor.class);

            assertThat(service(supervisor, "feed").state()).isEqualTo(ServiceState.RUNNING);
            assertThat(service(supervisor, "feed").kind()).isEqualTo(ServiceKind.LIFECYCLE);
            assertThat(context.getBean(Feed.class).isRunning()).isTrue();
        });
    }

    @Test
    void aBeanIsStillInjectableByItsConcreteType() {
        Feed feed = new Feed("feed");
        this.runner.withBean("feed", Feed.class, () -> feed).run(context -> {
            assertThat(context.getBean(Feed.class)).isSameAs(feed);
            assertThat(context.getBean("feed")).isSameAs(feed);
        });
    }

    @Test
    void aFinalClassAndARecordAreSupervised() {
        this.runner
                .withBean("gateway", FinalGateway.class, FinalGateway::new)
                .withBean("consumer", RecordConsumer.class, RecordConsumer::new)
                .run(context -> {
                    Supervisor supervisor = context.getBean(Supervisor.class);
                    assertThat(supervisor.services())
                            .extracting(ServiceSnapshot::name, ServiceSnapshot::state)
                            .containsExactly(
                                    org.assertj.core.groups.Tuple.tuple("consumer", ServiceState.RUNNING),
                                    org.assertj.core.groups.Tuple.tuple("gateway", ServiceState.RUNNING));
                    assertThat(context.getBean(RecordConsumer.class).starts()).hasValue(1);
                });
    }

    @Test
    void aBeansStartsRunOnTheSupervisorsCallThreadsSoThatAHungStartCannotHoldTheContext() {
        Feed feed = new Feed("feed").failingFirst(1);
        String contextThread = Thread.currentThread().getName();
        this.runner.withBean("feed", Feed.class, () -> feed).run(context -> {
            Supervisor supervisor = context.getBean(Supervisor.class);
            assertThat(service(supervisor, "feed").failures())
                    .as("the snapshot shows the first start's outcome once the context has started")
                    .isEqualTo(1);

            await().atMost(Duration.ofSeconds(5))
                    .until(() -> service(supervisor, "feed").state() == ServiceState.RUNNING);
            assertThat(feed.startThreads).hasSize(2);
            assertThat(feed.startThreads)
                    .allSatisfy(thread ->
                            assertThat(thread).isNotEqualTo(contextThread).startsWith("rustrade-supervisor-call-"));
        });
    }

    @Test
    void aFailingFirstStartDoesNotFailTheApplication() {
        this.runner
                .withBean("feed", Feed.class, () -> new Feed("feed").failingFirst(2))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    Supervisor supervisor = context.getBean(Supervisor.class);

                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> service(supervisor, "feed").state() == ServiceState.RUNNING);
                    assertThat(service(supervisor, "feed").failures()).isEqualTo(2);
                    assertThat(service(supervisor, "feed").restarts()).isEqualTo(2);
                });
    }

    @Test
    void beansStartInTheirPhaseOrderAndStopInReverse() {
        List<String> journal = new CopyOnWriteArrayList<>();
        this.runner
                .withBean("late", Feed.class, () -> new Feed("late", 10, journal))
                .withBean("early", Feed.class, () -> new Feed("early", -10, journal))
                .run(context -> {
                    assertThat(journal).containsExactly("start early", "start late");
                    context.close();
                    assertThat(journal).containsExactly("start early", "start late", "stop late", "stop early");
                });
    }

    @Test
    void aBeanThatIsNotAutoStartupIsRegisteredButNotStarted() {
        Feed feed = new Feed("feed");
        feed.autoStartup = false;
        this.runner.withBean("feed", Feed.class, () -> feed).run(context -> {
            Supervisor supervisor = context.getBean(Supervisor.class);
            assertThat(service(supervisor, "feed").state()).isEqualTo(ServiceState.STOPPED);
            assertThat(feed.starts).hasValue(0);

            supervisor.start("feed");

            await().atMost(Duration.ofSeconds(5))
                    .until(() -> service(supervisor, "feed").state() == ServiceState.RUNNING);
        });
    }

    @Test
    void springsOwnLifecycleBeansAreLeftAloneUnlessIncluded() {
        this.runner
                .withBean("taskScheduler", ThreadPoolTaskScheduler.class, ThreadPoolTaskScheduler::new)
                .run(context -> assertThat(context.getBean(Supervisor.class).service("taskScheduler"))
                        .isEmpty());
        this.runner
                .withBean("taskScheduler", ThreadPoolTaskScheduler.class, ThreadPoolTaskScheduler::new)
                .withPropertyValues("rustrade.supervisor.include=task*")
                .run(context -> assertThat(context.getBean(Supervisor.class).service("taskScheduler"))
                        .isPresent());
    }

    @Test
    void excludedBeansAreNotSupervisedButStillRun() {
        this.runner
                .withBean("marketDataFeed", Feed.class, () -> new Feed("marketDataFeed"))
                .withBean("orderGateway", Feed.class, () -> new Feed("orderGateway"))
                .withBean("riskEngine", Feed.class, () -> new Feed("riskEngine"))
                .withPropertyValues(
                        "rustrade.supervisor.exclude=*Feed*", "rustrade.supervisor.services.orderGateway.enabled=false")
                .run(context -> {
                    Supervisor supervisor = context.getBean(Supervisor.class);
                    assertThat(supervisor.services())
                            .extracting(ServiceSnapshot::name)
                            .containsExactly("riskEngine");
                    assertThat(context.getBean("marketDataFeed", Feed.class).isRunning())
                            .isTrue();
                    assertThat(context.getBean("orderGateway", Feed.class).isRunning())
                            .isTrue();
                });
    }

    @Test
    void includeNeverNarrowsSupervision() {
        this.runner
                .withBean("feed", Feed.class, () -> new Feed("feed"))
                .withPropertyValues("rustrade.supervisor.include=somethingElse")
                .run(context -> assertThat(context.getBean(Supervisor.class).service("feed"))
                        .isPresent());
    }

    @Test
    void aSupervisedServiceBeanRunsOnItsOwnThreadAndIsCancelledAtShutdown() {
        Reconciler reconciler = new Reconciler();
        this.runner.withBean("reconciler", Reconciler.class, () -> reconciler).run(context -> {
            Supervisor supervisor = context.getBean(Supervisor.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> reconciler.runs.get() == 1);
            assertThat(service(supervisor, "reconciler").kind()).isEqualTo(ServiceKind.SERVICE);
            assertThat(service(supervisor, "reconciler").state()).isEqualTo(ServiceState.RUNNING);

            context.close();

            assertThat(reconciler.cancelled.getCount()).isZero();
        });
    }

    @Test
    void perServiceOverridesApplyToTheirService() {
        this.runner
                .withBean("feed", Feed.class, () -> new Feed("feed"))
                .withPropertyValues(
                        "rustrade.supervisor.services.feed.backoff.max-delay=5s",
                        "rustrade.supervisor.services.feed.circuit-breaker.on-open=half-open")
                .run(context -> {
                    ServiceSnapshot feed = service(context.getBean(Supervisor.class), "feed");
                    assertThat(feed.backoff().maxDelay()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(feed.backoff().baseDelay()).isEqualTo(Duration.ofMillis(10));
                    assertThat(feed.circuitBreaker().onOpen()).isEqualTo(CircuitOpenAction.HALF_OPEN);
                });
    }

    @Test
    void aServicesKeyNamingNoBeanLogsAWarning(CapturedOutput output) {
        this.runner
                .withBean("feed", Feed.class, () -> new Feed("feed"))
                .withPropertyValues("rustrade.supervisor.services.fede.restart=never")
                .run(context -> assertThat(output)
                        .contains("Property 'rustrade.supervisor.services.fede' names no SmartLifecycle or"
                                + " SupervisedService bean"));
    }

    @Test
    void badConfigurationFailsTheApplicationBeforeAnyServiceStarts() {
        Feed feed = new Feed("feed");
        this.runner
                .withBean("feed", Feed.class, () -> feed)
                .withPropertyValues("rustrade.supervisor.backoff.base-delay=-1s")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(org.springframework.core.NestedExceptionUtils.getMostSpecificCause(
                                    context.getStartupFailure()))
                            .isInstanceOf(io.rustrade.supervisor.core.InvalidSettingException.class);
                    assertThat(context.getStartupFailure())
                            .hasStackTraceContaining(InvalidSupervisorPropertyException.class.getName()
                                    + ": Property 'rustrade.supervisor.backoff.base-delay' must be greater than 0"
                                    + " but was -1s");
                    assertThat(feed.starts).hasValue(0);
                });
    }

    @Test
    void supervisionCanBeSwitchedOff() {
        this.runner
                .withBean("feed", Feed.class, () -> new Feed("feed"))
                .withPropertyValues("rustrade.supervisor.enabled=false")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(Supervisor.class);
                    assertThat(context.getBean("lifecycleProcessor"))
                            .isExactlyInstanceOf(DefaultLifecycleProcessor.class);
                    assertThat(context.getBean(Feed.class).isRunning()).isTrue();
                });
    }

    @Test
    void anApplicationsOwnLifecycleProcessorWinsWithAWarningThatBeansAreNotSupervised(CapturedOutput output) {
        DefaultLifecycleProcessor own = new DefaultLifecycleProcessor();
        this.runner
                .withBean("lifecycleProcessor", DefaultLifecycleProcessor.class, () -> own)
                .run(context -> {
                    assertThat(context.getBean("lifecycleProcessor")).isSameAs(own);
                    assertThat(output)
                            .contains("The application defines its own 'lifecycleProcessor' bean"
                                    + " (org.springframework.context.support.DefaultLifecycleProcessor), so the"
                                    + " supervisor does not supervise its SmartLifecycle and SupervisedService beans");
                });
    }

    @Test
    void theStartersOwnLifecycleProcessorIsNotWarnedAbout(CapturedOutput output) {
        this.runner.run(context -> {
            assertThat(context.getBean("lifecycleProcessor")).isInstanceOf(SupervisingLifecycleProcessor.class);
            assertThat(output).doesNotContain("defines its own 'lifecycleProcessor'");
        });
    }

    @Test
    void anApplicationsOwnBeansReplaceTheStartersBeans() {
        Escalation own = (service, cause) -> {};
        this.runner
                .withBean("myEscalation", Escalation.class, () -> own)
                .run(context -> assertThat(context.getBean(Escalation.class)).isSameAs(own));
    }

    @Test
    void theShutdownTimeoutPerPhaseIsHonoured() {
        this.runner
                .withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=7s")
                .run(context -> assertThat(context.getBean("lifecycleProcessor"))
                        .isInstanceOf(SupervisingLifecycleProcessor.class)
                        .hasFieldOrPropertyWithValue("timeoutPerShutdownPhase", 7000L));
    }

    @Test
    void eventsArePublishedAndAThrowingListenerDoesNotDisturbSupervision() {
        List<SupervisorApplicationEvent> events = new CopyOnWriteArrayList<>();
        this.runner
                .withBean("feed", Feed.class, () -> new Feed("feed").failingFirst(1))
                .withBean("recorder", ApplicationListener.class, () ->
                        (ApplicationListener<SupervisorApplicationEvent>) events::add)
                .withBean(
                        "thrower",
                        ApplicationListener.class,
                        () -> (ApplicationListener<SupervisorApplicationEvent>) event -> {
                            throw new IllegalStateException("listener bug");
                        })
                .run(context -> {
                    Supervisor supervisor = context.getBean(Supervisor.class);
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> service(supervisor, "feed").state() == ServiceState.RUNNING);
                    await().atMost(Duration.ofSeconds(5))
                            .untilAsserted(() -> assertThat(events)
                                    .extracting(Object::getClass)
                                    .containsSubsequence(
                                            ServiceFailedEvent.class,
                                            ServiceRestartScheduledEvent.class,
                                            ServiceStartedEvent.class));
                    ServiceFailedEvent failed = (ServiceFailedEvent) events.get(0);
                    assertThat(failed.getServiceName()).isEqualTo("feed");
                    assertThat(failed.getAttempt()).isEqualTo(1);
                    assertThat(failed.getCause()).hasMessage("login refused");
                });
    }

    @Test
    void pausingTheContextIsNotAFailure() {
        this.runner.withBean("feed", Feed.class, () -> new Feed("feed")).run(context -> {
            Supervisor supervisor = context.getBean(Supervisor.class);

            context.pause();
            assertThat(service(supervisor, "feed").state()).isEqualTo(ServiceState.STOPPED);
            assertThat(context.getBean(Feed.class).isRunning()).isFalse();

            context.restart();
            assertThat(service(supervisor, "feed").state()).isEqualTo(ServiceState.RUNNING);
            assertThat(service(supervisor, "feed").failures()).isZero();
        });
    }

    @Test
    void aFirstStartThatHangsIsAbandonedAfterTheStartTimeoutAndTheContextGoesOnWithItsThreadNotInterrupted() {
        CountDownLatch never = new CountDownLatch(1);
        Feed hung = new Feed("hung") {
            @Override
            public void start() {
                if (this.starts.incrementAndGet() == 1) {
                    try {
                        never.await();
                    } catch (InterruptedException ex) {
                        // Abandoned: give up as a well-behaved start() does.
                        return;
                    }
                }
                this.running = true;
            }
        };
        this.runner
                .withPropertyValues("rustrade.supervisor.start-timeout=200ms")
                .withBean("hung", Feed.class, () -> hung)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(Thread.currentThread().isInterrupted())
                            .as("the interrupt meant for the abandoned start was cleared")
                            .isFalse();
                    Supervisor supervisor = context.getBean(Supervisor.class);
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> service(supervisor, "hung").state() == ServiceState.RUNNING);
                    assertThat(service(supervisor, "hung").lastFailure().exception())
                            .isEqualTo("io.rustrade.supervisor.StartTimeoutException");
                    assertThat(hung.starts).hasValue(2);
                });
    }

    @Test
    void aHungStopDoesNotHangShutdown() {
        CountDownLatch never = new CountDownLatch(1);
        Feed stuck = new Feed("stuck") {
            @Override
            public void stop() {
                try {
                    never.await();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        this.runner
                .withBean("stuck", Feed.class, () -> stuck)
                .withPropertyValues("rustrade.supervisor.stop-timeout=200ms")
                .run(context -> {
                    long began = System.nanoTime();
                    context.close();
                    assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(10));
                });
    }

    @Test
    void servicesRegisteredAtRunTimeTakeTheirConfiguredOptions() {
        this.runner
                .withPropertyValues("rustrade.supervisor.services.poller.restart=always")
                .run(context -> {
                    Supervisor supervisor = context.getBean(Supervisor.class);
                    supervisor.register("poller", cancellation -> cancellation.await(Duration.ofMinutes(1)));

                    assertThat(service(supervisor, "poller").restartPolicy()).isEqualTo(RestartPolicy.ALWAYS);
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> service(supervisor, "poller").state() == ServiceState.RUNNING);
                    context.close();
                    assertThat(service(supervisor, "poller").state()).isEqualTo(ServiceState.STOPPED);
                });
    }

    @Test
    void failuresAndRestartsAreLoggedForOperators(CapturedOutput output) {
        this.runner
                .withBean("feed", Feed.class, () -> new Feed("feed").failingFirst(1))
                .run(context -> {
                    await().atMost(Duration.ofSeconds(5))
                            .untilAsserted(() -> assertThat(output)
                                    .contains(
                                            "Service 'feed' failed (attempt 1; restarts in 10ms): java.lang.IllegalStateException: login refused")
                                    .contains("Service 'feed' is restarting (backoff)"));
                });
    }

    @Test
    void aBeanThatAlreadyRunsIsNotStartedAgainButIsSupervised() {
        Feed feed = new Feed("feed");
        feed.running = true;
        this.runner.withBean("feed", Feed.class, () -> feed).run(context -> {
            assertThat(feed.starts).hasValue(0);
            assertThat(service(context.getBean(Supervisor.class), "feed").state())
                    .isEqualTo(ServiceState.RUNNING);
        });
    }

    @Test
    void theEngineIsTheSupervisorBean() {
        this.runner.run(context ->
                assertThat(context.getBean(Supervisor.class)).isSameAs(context.getBean(SupervisorEngine.class)));
    }
}
