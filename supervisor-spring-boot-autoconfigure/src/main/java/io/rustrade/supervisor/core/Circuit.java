package io.rustrade.supervisor.core;

import io.rustrade.supervisor.CircuitState;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The circuit breaker of one service once it has opened: where it stands and how many times in a row it
 * has opened. A service whose circuit is closed has none (its record holds {@code null}), so the breaker
 * costs nothing until it trips. Used on the control thread only.
 *
 * <p>Its legal moves, the only ones {@link #open()}, {@link #probe()} and {@link #close()} make:
 *
 * <ul>
 *   <li>{@code CLOSED → OPEN}: the failures inside the window reached {@code max-failures};
 *   <li>{@code OPEN → HALF_OPEN}: with {@code on-open: half-open}, the open period is over and one probe
 *       starts;
 *   <li>{@code HALF_OPEN → OPEN}: the probe failed; the next open period is longer;
 *   <li>{@code HALF_OPEN → CLOSED}: the probe ran for the cooldown period;
 *   <li>{@code OPEN → CLOSED}: an operator's {@code start}, {@code restart} or {@code reset}, or the end of a
 *       failover's time out of the election.
 * </ul>
 *
 * Any other move is a bug of the caller: it fails a test (assertions are on there) and, in production, is
 * logged and made all the same, as the service's own illegal moves are: a breaker stuck where it should
 * have left would be worse.
 */
final class Circuit {

    private static final Log logger = LogFactory.getLog(SupervisorEngine.class);

    private static final Map<CircuitState, Set<CircuitState>> ENTERED_FROM = legalMoves();

    private CircuitState state = CircuitState.CLOSED;

    /** Openings since it last closed: the first is 1. Saturates instead of wrapping. */
    private int openings;

    CircuitState state() {
        return this.state;
    }

    boolean isHalfOpen() {
        return this.state == CircuitState.HALF_OPEN;
    }

    /** How many times it opened since it last closed; what the open period grows with. */
    int openings() {
        return this.openings;
    }

    /** Opens: the failures reached the maximum, or the probe failed. Returns the openings in a row. */
    int open() {
        move(CircuitState.OPEN);
        this.openings = (this.openings == Integer.MAX_VALUE) ? this.openings : this.openings + 1;
        return this.openings;
    }

    /** One probe start is let through. */
    void probe() {
        move(CircuitState.HALF_OPEN);
    }

    /** Closes; a record drops the circuit afterwards, so the next opening counts from one again. */
    void close() {
        move(CircuitState.CLOSED);
        this.openings = 0;
    }

    /** Whether the breaker may move from {@code from} to {@code to}. */
    static boolean isLegalMove(CircuitState from, CircuitState to) {
        return ENTERED_FROM.get(to).contains(from);
    }

    private void move(CircuitState next) {
        if (!isLegalMove(this.state, next)) {
            String message = "Illegal move of a circuit from " + this.state + " to " + next;
            logger.error(message);
            assert false : message;
        }
        this.state = next;
    }

    private static Map<CircuitState, Set<CircuitState>> legalMoves() {
        Map<CircuitState, Set<CircuitState>> moves = new EnumMap<>(CircuitState.class);
        moves.put(CircuitState.OPEN, EnumSet.of(CircuitState.CLOSED, CircuitState.HALF_OPEN));
        moves.put(CircuitState.HALF_OPEN, EnumSet.of(CircuitState.OPEN));
        moves.put(CircuitState.CLOSED, EnumSet.of(CircuitState.OPEN, CircuitState.HALF_OPEN));
        return moves;
    }
}
