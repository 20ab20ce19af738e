package dev.vgg4j.model;

import dev.vgg4j.core.CounterRng;
import java.util.function.LongSupplier;

/**
 * The model's deterministic source of dropout seeds: the {@code k}-th seed is
 * {@code CounterRng.hash(base, k)}. Its whole state is the counter {@code k}, which a checkpoint
 * saves so that a resumed run draws the same masks as an uninterrupted one.
 */
public final class DropoutSeeds implements LongSupplier {
    private final long base;
    private long counter;

    public DropoutSeeds(long base) {
        this.base = base;
    }

    @Override
    public long getAsLong() {
        return CounterRng.hash(base, counter++);
    }

    /** Seeds drawn so far. */
    public long state() {
        return counter;
    }

    public void restore(long state) {
        if (state < 0) {
            throw new IllegalArgumentException("dropout seed state must be >= 0, got " + state);
        }
        counter = state;
    }
}
