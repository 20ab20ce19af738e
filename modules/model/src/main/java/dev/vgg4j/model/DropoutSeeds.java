package dev.vgg4j.model;

import dev.vgg4j.core.CounterRng;

/**
 * The model's deterministic source of dropout seeds: the {@code k}-th training forward of a Dropout
 * layer uses {@code CounterRng.hash(base, k)}. Its whole state is the counter {@code k}, which a
 * checkpoint saves so that a resumed run draws the same masks as an uninterrupted one.
 *
 * <p>Data-parallel training runs a batch's rows {@code r..r+n} on one replica: with
 * {@link #firstRow(long) firstRow(r)} each seed is moved {@code r * rowSize} indices along its
 * stream ({@link CounterRng#skip}), so the shard's masks are the rows {@code r..r+n} of the mask
 * one machine draws for the whole batch. Every replica draws the same seeds (same base and counter).
 */
public final class DropoutSeeds {
    private final long base;
    private long counter;
    private long firstRow;

    public DropoutSeeds(long base) {
        this.base = base;
    }

    /** The seed of the next training forward over inputs of {@code rowSize} elements per row. */
    public long next(int rowSize) {
        return CounterRng.skip(CounterRng.hash(base, counter++), firstRow * rowSize);
    }

    /** Which row of the whole batch the next inputs start at; 0 (the default) when they are the whole batch. */
    public void firstRow(long row) {
        if (row < 0) {
            throw new IllegalArgumentException("first row must be >= 0, got " + row);
        }
        firstRow = row;
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
