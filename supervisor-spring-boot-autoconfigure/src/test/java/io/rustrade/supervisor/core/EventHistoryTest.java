package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustrade.supervisor.ServiceEvent;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EventHistoryTest {

    @Test
    void keepsEveryEventOldestFirstWhileBelowTheCapacity() {
        EventHistory history = new EventHistory(100);
        add(history, 0, 37);
        assertThat(types(history)).containsExactlyElementsOf(range(0, 37));
    }

    @Test
    void keepsTheLastCapacityEventsOldestFirstOnceFull() {
        EventHistory history = new EventHistory(10);
        add(history, 0, 23);
        assertThat(types(history)).containsExactlyElementsOf(range(13, 23));
    }

    @Test
    void keepsTheLastEventsAfterTheRingWrapsAtEveryFillLevel() {
        for (int count = 0; count <= 40; count++) {
            EventHistory history = new EventHistory(7);
            add(history, 0, count);
            assertThat(types(history)).containsExactlyElementsOf(range(Math.max(0, count - 7), count));
        }
    }

    @Test
    void keepsNothingWithCapacityZero() {
        EventHistory history = new EventHistory(0);
        add(history, 0, 3);
        assertThat(history.toList()).isEmpty();
    }

    @Test
    void sharesOneImmutableCopyUntilTheNextEvent() {
        EventHistory history = new EventHistory(5);
        add(history, 0, 3);
        List<ServiceEvent> first = history.toList();
        assertThat(history.toList()).isSameAs(first);
        assertThat(List.copyOf(first)).isSameAs(first);
        assertThatThrownBy(() -> first.add(event(9))).isInstanceOf(UnsupportedOperationException.class);
        add(history, 3, 4);
        assertThat(history.toList()).isNotSameAs(first);
        assertThat(types(first)).containsExactly("0", "1", "2");
    }

    private static void add(EventHistory history, int from, int to) {
        for (int i = from; i < to; i++) {
            history.add(event(i));
        }
    }

    private static ServiceEvent event(int i) {
        return new ServiceEvent(Instant.EPOCH.plusSeconds(i), String.valueOf(i), "");
    }

    private static List<String> types(EventHistory history) {
        return types(history.toList());
    }

    private static List<String> types(List<ServiceEvent> events) {
        return events.stream().map(ServiceEvent::type).toList();
    }

    private static List<String> range(int from, int to) {
        return IntStream.range(from, to).mapToObj(String::valueOf).toList();
    }
}
