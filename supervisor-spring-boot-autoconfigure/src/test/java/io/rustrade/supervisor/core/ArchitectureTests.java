package io.rustrade.supervisor.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The core and the public API are plain Java: usable, and testable, without Spring. */
class ArchitectureTests {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.rustrade.supervisor");

    /**
     * What a user of the core without Spring needs, and the roles the Spring layers implement or call; the
     * rest of the core is package-private, or in {@code core.internal}, which is not API.
     */
    @Test
    void theCoresPublicTypesAreItsApi() {
        assertThat(CLASSES.stream()
                        .filter(type -> type.getPackageName().equals("io.rustrade.supervisor.core"))
                        .filter(JavaClass::isTopLevelClass)
                        .filter(type -> type.getModifiers().contains(JavaModifier.PUBLIC))
                        .map(JavaClass::getSimpleName))
                .containsExactlyInAnyOrder(
                        // Building and running the engine; nested in it, its Builder and the two hooks the
                        // Spring layer fills: RunLauncher (run threads) and TaskWrapper (the MDC key and
                        // TaskDecorators around services' code, ADR 015), neither a type of its own.
                        "SupervisorEngine",
                        "ServiceOptions",
                        "BackoffPolicy",
                        "CircuitBreakerPolicy",
                        "ServiceTopology",
                        "LifecycleService",
                        "InvalidSettingException",
                        // The backoff machine on its own, as the crate it ports offers it.
                        "BackoffState",
                        "BackoffDecision",
                        // What it tells, and who listens.
                        "SupervisionEvent",
                        "SupervisionListener",
                        "SupervisionLogger",
                        // Roles the application's container, observers and cluster play.
                        "ContainerSupervisor",
                        "ObservableSupervisor",
                        "Escalation",
                        "Elections",
                        // Time, injected so that every rule runs on a virtual clock.
                        "NanoClock",
                        "ControlScheduler",
                        "ScheduledTask");
    }

    @Test
    void nothingButTheSupervisorsOwnCodeUsesItsInternals() {
        noClasses()
                .that()
                .resideOutsideOfPackages(
                        "io.rustrade.supervisor.core..",
                        "io.rustrade.supervisor.autoconfigure..",
                        "io.rustrade.supervisor.actuate..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.rustrade.supervisor.core.internal..")
                .check(CLASSES);
    }

    @Test
    void coreDoesNotDependOnSpring() {
        noClasses()
                .that()
                .resideInAPackage("io.rustrade.supervisor.core..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.springframework..")
                .check(CLASSES);
    }

    @Test
    void publicApiDoesNotDependOnSpring() {
        noClasses()
                .that()
                .resideInAPackage("io.rustrade.supervisor")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.springframework..")
                .allowEmptyShould(true)
                .check(CLASSES);
    }

    @Test
    void publicApiDoesNotDependOnTheCore() {
        noClasses()
                .that()
                .resideInAPackage("io.rustrade.supervisor")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.rustrade.supervisor.core..")
                .check(CLASSES);
    }

    @Test
    void observabilityDependsOnTheSupervisorsRolesNotOnTheEngine() {
        noClasses()
                .that()
                .resideInAPackage("io.rustrade.supervisor.actuate..")
                .should()
                .dependOnClassesThat()
                .belongToAnyOf(SupervisorEngine.class)
                .because("the endpoint, meters and health read an ObservableSupervisor")
                .check(CLASSES);
    }

    @Test
    void theSupervisorsAutoConfigurationDoesNotDependOnItsObservability() {
        noClasses()
                .that()
                .resideInAPackage("io.rustrade.supervisor.autoconfigure..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.rustrade.supervisor.actuate..")
                .because("Actuator and Micrometer are optional: supervision must work without them")
                .check(CLASSES);
    }

    @Test
    void coreDoesNotDependOnTheSpringLayers() {
        noClasses()
                .that()
                .resideInAPackage("io.rustrade.supervisor.core..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.rustrade.supervisor.autoconfigure..",
                        "io.rustrade.supervisor.actuate..",
                        "io.rustrade.supervisor.event..")
                .check(CLASSES);
    }

    @Test
    void onlyTheClusterSingletonsDependOnSpringIntegration() {
        noClasses()
                .that()
                .doNotHaveSimpleName("SingletonElection")
                .and()
                .doNotHaveSimpleName("SupervisorClusterAutoConfiguration")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.springframework.integration..")
                .because("Spring Integration is optional: only the singletons' elections may need it")
                .check(CLASSES);
    }
}
