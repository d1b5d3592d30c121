package io.rustrade.supervisor.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Who waits for one service's start or stop to resolve: its container, an operator's command. Control
 * thread only.
 *
 * <p>Rules: a waiter is completed only after the snapshot showing the outcome has been published ({@link
 * #publish()}), so whoever waited reads that outcome; a waiter is completed exactly once. Thousands of
 * services may be supervised and waiters are rare: the lists exist only while they hold something.
 */
final class Waiters {

    private List<CompletableFuture<Void>> start;

    private List<CompletableFuture<Void>> stop;

    /** Waiters whose wait is over, completed at the next publication. */
    private List<CompletableFuture<Void>> answered;

    /** Waits for the start under way to resolve: the service runs, or failed. */
    void awaitStart(CompletableFuture<Void> waiter) {
        if (waiter != null) {
            this.start = with(this.start, waiter);
        }
    }

    /** Waits for the stop under way to resolve. */
    void awaitStop(CompletableFuture<Void> waiter) {
        if (waiter != null) {
            this.stop = with(this.stop, waiter);
        }
    }

    /** The wait is over at once: answered at the next publication. */
    void answer(CompletableFuture<Void> waiter) {
        if (waiter != null) {
            this.answered = with(this.answered, waiter);
        }
    }

    /** The start resolved: its waiters are answered at the next publication. */
    void startResolved() {
        this.start = answerAll(this.start);
    }

    /** The stop resolved, or was overtaken by a start: its waiters are answered at the next publication. */
    void stopResolved() {
        this.stop = answerAll(this.stop);
    }

    /** The snapshot showing the outcome is published: completes the waiters answered meanwhile. */
    void publish() {
        if (this.answered != null) {
            List<CompletableFuture<Void>> done = this.answered;
            this.answered = null;
            done.forEach(waiter -> waiter.complete(null));
        }
    }

    /** Whether nobody waits, nor waits to be answered. */
    boolean isEmpty() {
        return this.start == null && this.stop == null && this.answered == null;
    }

    private List<CompletableFuture<Void>> answerAll(List<CompletableFuture<Void>> waiters) {
        if (waiters != null) {
            waiters.forEach(this::answer);
        }
        return null;
    }

    private static List<CompletableFuture<Void>> with(
            List<CompletableFuture<Void>> waiters, CompletableFuture<Void> waiter) {
        List<CompletableFuture<Void>> list = (waiters != null) ? waiters : new ArrayList<>(1);
        list.add(waiter);
        return list;
    }
}
