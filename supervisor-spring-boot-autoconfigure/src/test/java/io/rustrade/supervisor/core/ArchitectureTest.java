package io.rustrade.supervisor.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The core and the public API are plain Java: usable, and testable, without Spring. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.rustrade.supervisor");

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
