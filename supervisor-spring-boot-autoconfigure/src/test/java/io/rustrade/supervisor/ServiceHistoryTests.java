package io.rustrade.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ServiceHistoryTests {

    @Test
    void keepsEveryEventOldestFirstWhileBelowTheCapacity() {
        ServiceHistory history = new ServiceHistory(100);
        add(history, 0, 37);
        assertThat(types(history)).containsExactlyElementsOf(range(0, 37));
    }

    @Test
    void keepsTheLastCapacityEventsOldestFirstOnceFull() {
        ServiceHistory history = new ServiceHistory(10);
        add(history, 0, 23);
        assertThat(types(history)).containsExactlyElementsOf(range(13, 23));
    }

    @Test
    void keepsTheLastEventsAfterTheRingWrapsAtEveryFillLevel() {
        for (int count = 0; count <= 40; count++) {
            ServiceHistory history = new ServiceHistory(7);
            add(history, 0, count);
            assertThat(types(history)).containsExactlyElementsOf(range(Math.max(0, count - 7), count));
        }
    }

    @Test
    void keepsNothingWithCapacityZero() {
        ServiceHistory history = new ServiceHistory(0);
        add(history, 0, 3);
        assertThat(history.recent()).isEmpty();
    }

    @Test
    void aViewIsImmutableAndNeverChangesWhateverIsAppendedLater() {
        ServiceHistory history = new ServiceHistory(5);
        add(history, 0, 3);
        List<HistoryEntry> first = history.recent();

        add(history, 3, 40);

        assertThat(types(first)).containsExactly("0", "1", "2");
        assertThat(types(history)).containsExactly("35", "36", "37", "38", "39");
        assertThatThrownBy(() -> first.add(event(9))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> first.set(0, event(9))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> first.remove(0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(first::clear).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void oneViewIsSharedUntilTheNextEvent() {
        ServiceHistory history = new ServiceHistory(5);
        add(history, 0, 3);
        List<HistoryEntry> first = history.recent();

        assertThat(history.recent()).isSameAs(first);
        add(history, 3, 4);
        assertThat(history.recent()).isNotSameAs(first);
    }

    @Test
    void aSnapshotKeepsTheViewWithoutCopyingIt() {
        ServiceHistory history = new ServiceHistory(1000);
        add(history, 0, 1000);
        List<HistoryEntry> view = history.recent();

        ServiceSnapshot snapshot = snapshotWith(view);

        assertThat(snapshot.events()).isSameAs(view);
    }

    @Test
    void aSnapshotCopiesAnyOtherList() {
        List<HistoryEntry> events = new java.util.ArrayList<>(List.of(event(1)));

        ServiceSnapshot snapshot = snapshotWith(events);
        events.clear();

        assertThat(types(snapshot.events())).containsExactly("1");
    }

    @Test
    void storageStaysWithinTwiceTheCapacity() {
        ServiceHistory history = new ServiceHistory(100);
        add(history, 0, 10);
        assertThat(history.slotCount()).isLessThanOrEqualTo(20);

        add(history, 10, 100_000);
        assertThat(history.slotCount()).isLessThanOrEqualTo(200);
        assertThat(types(history)).containsExactlyElementsOf(range(99_900, 100_000));
    }

    private static void add(ServiceHistory history, int from, int to) {
        for (int i = from; i < to; i++) {
            history.add(event(i));
        }
    }

    private static HistoryEntry event(int i) {
        // Numbered in the detail: the order of entries is what is checked.
        return new HistoryEntry(Instant.EPOCH.plusSeconds(i), HistoryEntry.Type.FAILED, String.valueOf(i));
    }

    private static List<String> types(ServiceHistory history) {
        return types(history.recent());
    }

    private static List<String> types(List<HistoryEntry> events) {
        return events.stream().map(HistoryEntry::detail).toList();
    }

    private static List<String> range(int from, int to) {
        return IntStream.range(from, to).mapToObj(String::valueOf).toList();
    }

    /** A snapshot whose only content that matters here is its events. */
    private static ServiceSnapshot snapshotWith(List<HistoryEntry> events) {
        return new ServiceSnapshot(
                "feed",
                ServiceKind.SERVICE,
                ServiceState.RUNNING,
                RestartPolicy.ON_FAILURE,
                0,
                0,
                0,
                0,
                CircuitState.CLOSED,
                null,
                null,
                null,
                null,
                null,
                events);
    }
}
