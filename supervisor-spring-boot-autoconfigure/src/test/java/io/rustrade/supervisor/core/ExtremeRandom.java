package io.rustrade.supervisor.core;

import java.util.random.RandomGenerator;

/** A "random" source that always draws the lowest or always the highest value of a range. */
enum ExtremeRandom implements RandomGenerator {
    LOWEST {
        @Override
        public long nextLong(long origin, long bound) {
            return origin;
        }
    },
    HIGHEST {
        @Override
        public long nextLong(long origin, long bound) {
            return bound - 1;
        }
    };

    @Override
    public long nextLong() {
        throw new UnsupportedOperationException("only bounded draws are expected");
    }
}
