package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.rustrade.supervisor.GroupStrategy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who goes down with a service, the start order, and what must run before a service starts again. */
class ServiceTopologyTests {

    @Test
    void restForOneTakesDownTheMembersAfterTheServiceInStartOrder() {
        ServiceTopology topology = ServiceTopology.builder()
                .group("trading", GroupStrategy.REST_FOR_ONE, List.of("feed", "engine", "gateway"))
                .build();

        assertThat(topology.goDownWith("feed")).containsExactly("engine", "gateway");
        assertThat(topology.goDownWith("engine")).containsExactly("gateway");
        assertThat(topology.goDownWith("gateway")).isEmpty();
        assertThat(topology.startAfter("gateway")).containsExactly("feed", "engine");
        assertThat(topology.startAfter("feed")).isEmpty();
    }

    @Test
    void oneForAllTakesDownEveryOtherMemberAndOnlyEarlierMembersMustRunFirst() {
        ServiceTopology topology = ServiceTopology.builder()
                .group("trading", GroupStrategy.ONE_FOR_ALL, List.of("feed", "engine", "gateway"))
                .build();

        assertThat(topology.goDownWith("engine")).containsExactly("feed", "gateway");
        assertThat(topology.startAfter("engine")).containsExactly("feed");
    }

    @Test
    void restartDependentsTakesDownEveryServiceThatDependsOnItDirectlyOrNot() {
        ServiceTopology topology = ServiceTopology.builder()
                .dependsOn("engine", List.of("feed"))
                .dependsOn("gateway", List.of("engine"))
                .dependsOn("report", List.of())
                .restartDependents("feed")
                .build();

        assertThat(topology.goDownWith("feed")).containsExactly("engine", "gateway");
        assertThat(topology.goDownWith("engine"))
                .as("engine does not restart its dependents")
                .isEmpty();
        assertThat(topology.startAfter("gateway")).containsExactly("feed");
        assertThat(topology.dependsOn("gateway")).containsExactly("engine");
        assertThat(topology.dependsOn("unknown")).isEmpty();
    }

    @Test
    void aServiceTakenDownTakesItsOwnFollowersDown() {
        ServiceTopology topology = ServiceTopology.builder()
                .group("venue", GroupStrategy.REST_FOR_ONE, List.of("session", "gateway"))
                .dependsOn("audit", List.of("gateway"))
                .restartDependents("gateway")
                .build();

        assertThat(topology.goDownWith("session")).containsExactly("gateway", "audit");
    }

    @Test
    void theStartOrderPutsDependenciesFirstAndBreaksCyclesByName() {
        ServiceTopology topology = ServiceTopology.builder()
                .dependsOn("a", List.of("b"))
                .dependsOn("b", List.of("a"))
                .dependsOn("c", List.of("b"))
                .restartDependents("a")
                .restartDependents("b")
                .build();

        assertThat(topology.rank("a")).isLessThan(topology.rank("b"));
        assertThat(topology.rank("b")).isLessThan(topology.rank("c"));
        assertThat(topology.goDownWith("a")).containsExactly("b", "c");
        assertThat(topology.goDownWith("b")).containsExactly("a", "c");
        assertThat(topology.rank("not-named")).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void aServiceIsNeverItsOwnDependency() {
        ServiceTopology topology =
                ServiceTopology.builder().dependsOn("a", List.of("a", "b")).build();

        assertThat(topology.dependsOn("a")).containsExactly("b");
    }

    @Test
    void noneTiesNothing() {
        assertThat(ServiceTopology.none().isEmpty()).isTrue();
        assertThat(ServiceTopology.none().groups()).isEmpty();
        assertThat(ServiceTopology.none().groupOf("a")).isEmpty();
        assertThat(ServiceTopology.builder()
                        .dependsOn("a", List.of("b"))
                        .build()
                        .isEmpty())
                .as("dependencies alone restart nothing")
                .isTrue();
    }

    @Test
    void theGroupsAreSortedByName() {
        ServiceTopology topology = ServiceTopology.builder()
                .group("venue", GroupStrategy.ONE_FOR_ALL, List.of("session"))
                .group("trading", GroupStrategy.REST_FOR_ONE, List.of("feed"))
                .build();

        assertThat(topology.groups()).containsOnlyKeys("trading", "venue");
        assertThat(topology.groups().keySet()).containsExactly("trading", "venue");
        assertThat(topology.groupOf("session").orElseThrow().strategy()).isEqualTo(GroupStrategy.ONE_FOR_ALL);
    }

    @Test
    void badGroupsAreRejectedWithAMessageNamingThem() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ServiceTopology.builder()
                        .group("trading", GroupStrategy.REST_FOR_ONE, List.of())
                        .build())
                .withMessage("Group 'trading' has no members");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ServiceTopology.builder()
                        .group("trading", GroupStrategy.REST_FOR_ONE, List.of("feed", "feed"))
                        .build())
                .withMessage("Service 'feed' is listed twice in group 'trading'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ServiceTopology.builder()
                        .group("trading", GroupStrategy.REST_FOR_ONE, List.of("feed"))
                        .group("venue", GroupStrategy.ONE_FOR_ALL, List.of("feed"))
                        .build())
                .withMessage("Service 'feed' is a member of groups 'trading' and 'venue'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ServiceTopology.builder()
                        .group("trading", GroupStrategy.REST_FOR_ONE, List.of("engine", "feed"))
                        .dependsOn("engine", List.of("cache"))
                        .dependsOn("cache", List.of("feed"))
                        .build())
                .withMessage("Group 'trading' lists 'engine' before 'feed', but 'engine' depends on 'feed'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ServiceTopology.builder()
                        .group("trading", GroupStrategy.REST_FOR_ONE, List.of("feed"))
                        .group("trading", GroupStrategy.REST_FOR_ONE, List.of("engine")))
                .withMessage("Group 'trading' is defined twice");
    }
}
