package io.rustrade.supervisor.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The garbage collector's stop-the-world pauses from now on, as wall-clock intervals (millisecond
 * precision, from the collectors' notifications), so that a late restart can be told apart from one the
 * JVM held up. Concurrent cycles, which stop no thread, are left out.
 */
final class Pauses {

    /** Milliseconds either side of a pause within which a restart still counts as held up by it. */
    private static final long SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final long jvmStartNanos =
            TimeUnit.MILLISECONDS.toNanos(ManagementFactory.getRuntimeMXBean().getStartTime());

    /** Pairs of start and end, in {@link Wall} nanoseconds. */
    private final List<long[]> intervals = new ArrayList<>();

    private Pauses() {}

    static Pauses record() {
        Pauses pauses = new Pauses();
        NotificationListener listener = (notification, handback) -> {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                return;
            }
            GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            if (info.getGcName().contains("Concurrent")) {
                return;
            }
            pauses.add(info.getGcInfo().getStartTime(), info.getGcInfo().getEndTime());
        };
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) collector).addNotificationListener(listener, null, null);
        }
        return pauses;
    }

    private synchronized void add(long startMillis, long endMillis) {
        this.intervals.add(new long[] {
            this.jvmStartNanos + TimeUnit.MILLISECONDS.toNanos(startMillis),
            this.jvmStartNanos + TimeUnit.MILLISECONDS.toNanos(endMillis)
        });
    }

    /** Whether a pause overlapped the time between {@code from} and {@code to} (Wall nanoseconds). */
    synchronized boolean heldUp(long from, long to) {
        for (long[] pause : this.intervals) {
            if (pause[0] - SLACK_NANOS <= to && from <= pause[1] + SLACK_NANOS) {
                return true;
            }
        }
        return false;
    }

    synchronized int count() {
        return this.intervals.size();
    }
}
