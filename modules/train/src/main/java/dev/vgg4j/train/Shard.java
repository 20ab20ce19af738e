package dev.vgg4j.train;

/**
 * Where a batch sits in a larger one: its rows are rows {@code firstRow .. firstRow + n - 1} of a
 * global batch of {@code globalRows} rows, split over data-parallel replicas. A batch trained on
 * one machine is {@link #whole(int) whole}.
 *
 * <p>It fixes the two things that must not depend on the split: the loss reduction's count (a
 * mean is over {@code globalRows}, so the shards' gradients sum to the global batch's) and the
 * dropout masks (row {@code firstRow} of the shard draws row {@code firstRow} of the global mask).
 */
public record Shard(long firstRow, int globalRows) {

    public Shard {
        if (firstRow < 0 || globalRows < 1 || firstRow >= globalRows) {
            throw new IllegalArgumentException("a shard starts at a row in [0, " + globalRows + "), got first row "
                    + firstRow + " of " + globalRows);
        }
    }

    /** A batch of {@code rows} rows that is the whole global batch. */
    public static Shard whole(int rows) {
        return new Shard(0, rows);
    }

    /** Whether a batch of {@code rows} rows at this place is the whole global batch. */
    boolean isWhole(int rows) {
        return firstRow == 0 && rows == globalRows;
    }

    /** Checks that {@code rows} rows fit in the global batch from {@link #firstRow}. */
    void check(int rows) {
        if (firstRow + rows > globalRows) {
            throw new IllegalArgumentException("a shard of " + rows + " rows from row " + firstRow
                    + " runs past the global batch of " + globalRows);
        }
    }
}
