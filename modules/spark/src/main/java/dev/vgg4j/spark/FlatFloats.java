package dev.vgg4j.spark;

import dev.vgg4j.model.Parameter;
import java.util.List;

/**
 * Float arrays end to end as one flat vector [M]: a model's parameters (or their gradients) in
 * parameter order, as host copies. The exchange cuts [M] into slices that cross the arrays'
 * borders; {@link #forRange} walks a range of [M] as runs within single arrays, so no [M] copy
 * is ever made.
 */
final class FlatFloats {
    private final List<float[]> pieces;
    /** {@code starts[i]}: where piece i begins in [M]; {@code starts[pieces]} = M. */
    private final long[] starts;

    /** One run of a range: {@code length} floats at {@code piece[at]}, {@code offset} floats after the range's start. */
    @FunctionalInterface
    interface Run {
        void apply(float[] piece, int at, int length, long offset);
    }

    FlatFloats(List<float[]> pieces) {
        this.pieces = List.copyOf(pieces);
        this.starts = new long[pieces.size() + 1];
        for (int i = 0; i < pieces.size(); i++) {
            starts[i + 1] = starts[i] + pieces.get(i).length;
        }
    }

    static FlatFloats of(float[] whole) {
        return new FlatFloats(List.of(whole));
    }

    /** Zeroed host arrays, one per parameter, sized as its value. */
    static FlatFloats shapedAs(List<Parameter> parameters) {
        return new FlatFloats(parameters.stream().map(p -> new float[p.value().size()]).toList());
    }

    /** Piece {@code i}: parameter i's values. */
    float[] piece(int i) {
        return pieces.get(i);
    }

    int pieces() {
        return pieces.size();
    }

    long length() {
        return starts[pieces.size()];
    }

    /** Calls {@code run} for each run of [from, from + count), in order. */
    void forRange(long from, long count, Run run) {
        if (from < 0 || count < 0 || from + count > length()) {
            throw new IndexOutOfBoundsException("range [" + from + ", " + (from + count) + ") of a vector of " + length());
        }
        int i = 0;
        while (starts[i + 1] <= from && i < pieces.size() - 1) {
            i++;
        }
        long done = 0;
        while (done < count) {
            int at = (int) (from + done - starts[i]);
            int length = (int) Math.min(pieces.get(i).length - at, count - done);
            if (length > 0) { // an empty piece (a parameter of size 0) has no run
                run.apply(pieces.get(i), at, length, done);
            }
            done += length;
            i++;
        }
    }
}
