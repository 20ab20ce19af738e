package dev.vgg4j.backend.cpu;

import dev.vgg4j.core.CounterRng;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** ReLU and dropout, forward and backward, over flat ranges split into chunks across the pool. */
final class Activations {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private final WorkerPool pool;

    Activations(WorkerPool pool) {
        this.pool = pool;
    }

    /** {@code y = max(x, 0)}; y may be x. */
    void reluForward(float[] x, float[] y, int size) {
        pool.parallelRanges(size, (from, to) -> {
            int i = from;
            for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
                FloatVector.fromArray(S, x, i).max(0f).intoArray(y, i);
            }
            for (; i < to; i++) {
                y[i] = Math.max(x[i], 0f);
            }
        });
    }

    /** {@code gx = y > 0 ? gy : 0}; gx may be gy. */
    void reluBackward(float[] y, float[] gy, float[] gx, int size) {
        pool.parallelRanges(size, (from, to) -> {
            int i = from;
            FloatVector zero = FloatVector.zero(S);
            for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
                FloatVector g = FloatVector.fromArray(S, gy, i);
                zero.blend(g, FloatVector.fromArray(S, y, i).compare(VectorOperators.GT, 0f)).intoArray(gx, i);
            }
            for (; i < to; i++) {
                gx[i] = y[i] > 0f ? gy[i] : 0f;
            }
        });
    }

    /** Inverted dropout with the keep decisions of {@link CounterRng#keep}; the mask holds 0 or {@code 1/(1-p)}. */
    void dropoutForward(float[] x, float p, long seed, float[] y, float[] mask, int size) {
        float kept = 1f / (1f - p);
        pool.parallelRanges(size, (from, to) -> {
            for (int i = from; i < to; i++) {
                mask[i] = CounterRng.keep(seed, i, p) ? kept : 0f;
            }
            Elementwise.multiply(x, from, mask, from, y, from, to - from);
        });
    }

    /** {@code gx = gy * mask}. */
    void dropoutBackward(float[] gy, float[] mask, float[] gx, int size) {
        pool.parallelRanges(size, (from, to) -> Elementwise.multiply(gy, from, mask, from, gx, from, to - from));
    }
}
