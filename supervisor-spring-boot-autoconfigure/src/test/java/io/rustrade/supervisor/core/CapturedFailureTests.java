package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.core.internal.CapturedFailure;
import io.rustrade.supervisor.testing.HostileExceptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CapturedFailureTests {

    @Test
    void anExceptionIsDescribedByItsClassAndMessageOnOneLine() {
        CapturedFailure failure = CapturedFailure.of(new IOException("connection\nrefused\r\nby peer"));

        assertThat(failure.className()).isEqualTo("java.io.IOException");
        assertThat(failure.message()).isEqualTo("connection\nrefused\r\nby peer");
        assertThat(failure.description()).isEqualTo("java.io.IOException: connection refused  by peer");
    }

    @Test
    void anExceptionWithoutAMessageIsDescribedByItsClass() {
        CapturedFailure failure = CapturedFailure.of(new IllegalStateException());

        assertThat(failure.message()).isNull();
        assertThat(failure.description()).isEqualTo("java.lang.IllegalStateException");
    }

    @Test
    void anExceptionWhoseMethodsThrowIsStillCaptured() {
        CapturedFailure failure = CapturedFailure.of(new HostileExceptions.Throwing());

        assertThat(failure.className()).isEqualTo(HostileExceptions.Throwing.class.getName());
        assertThat(failure.message()).isNull();
        assertThat(failure.description())
                .isEqualTo(HostileExceptions.Throwing.class.getName()
                        + " (message unavailable: getMessage() threw java.lang.IllegalStateException)");
        assertThat(failure.hasInChain(Set.of(RuntimeException.class))).isTrue();
    }

    @Test
    void aMessageIsCutToFiveHundredCharactersMarkingTheCut() {
        CapturedFailure failure = CapturedFailure.of(HostileExceptions.withMessageOfLength(1 << 20));

        assertThat(failure.message())
                .hasSize(CapturedFailure.MAX_MESSAGE_LENGTH)
                .endsWith("...");
        assertThat(failure.description()).hasSize("java.lang.RuntimeException: ".length() + 500);
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String message = "x".repeat(496) + "\uD83D\uDE00" + "y".repeat(10);

        assertThat(CapturedFailure.abbreviate(message)).isEqualTo("x".repeat(496) + "...");
    }

    @Test
    void theCauseChainIsSearchedBySubclass() {
        CapturedFailure failure = CapturedFailure.of(
                new IllegalStateException("outer", new UncheckedIOException(new IOException("inner"))));

        assertThat(failure.hasInChain(Set.of(IOException.class))).isTrue();
        assertThat(failure.hasInChain(Set.of(RuntimeException.class))).isTrue();
        assertThat(failure.hasInChain(Set.of(InterruptedException.class))).isFalse();
    }

    @Test
    void aCyclicCauseChainIsSearchedOnce() {
        CapturedFailure failure = CapturedFailure.of(HostileExceptions.cyclic("loop"));

        assertThat(failure.hasInChain(Set.of(IllegalStateException.class))).isTrue();
        assertThat(failure.hasInChain(Set.of(UnsupportedOperationException.class)))
                .isFalse();
    }

    @Test
    void aLongCauseChainIsSearchedToItsBound() {
        Throwable chain = new UnsupportedOperationException("deepest");
        for (int i = 0; i < 10_000; i++) {
            chain = new IllegalStateException(chain);
        }

        CapturedFailure failure = CapturedFailure.of(chain);

        assertThat(failure.hasInChain(Set.of(UnsupportedOperationException.class)))
                .isFalse();
        assertThat(failure.hasInChain(Set.of(IllegalStateException.class))).isTrue();
    }
}
