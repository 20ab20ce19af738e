package dev.vgg4j.backend.cpu;

import java.util.Arrays;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Consumer;

/**
 * Winograd filter transforms U kept per weight array for the inference forward. The inference path
 * runs the same folded weights batch after batch, and on small maps with many channels (VGG's
 * 512-channel layers at 4x4 and 2x2) transforming the filters costs as much as the products. Each
 * entry keeps a copy of the weights it was made from and is made again when their values differ:
 * one read of w per call, far cheaper than the transform. Keyed by identity (arrays do not override
 * equals) and weakly: a closed tensor's entry goes with its array. Used by one thread at a time, as
 * its backend's ops are.
 */
final class KeptFilterTransforms {
    private record Entry(float[] weights, float[] u) { }

    private final Map<float[], Entry> kept = new WeakHashMap<>();

    /**
     * U of {@code w}, {@code size} floats: the kept one while w's values are those it was made from,
     * else made again by {@code transform} into the returned array (which it fills completely).
     */
    float[] of(float[] w, int size, Consumer<float[]> transform) {
        Entry e = kept.get(w);
        if (e != null && e.u().length == size && Arrays.equals(e.weights(), w)) {
            return e.u();
        }
        if (e == null || e.u().length != size) {
            e = new Entry(new float[w.length], new float[size]);
            kept.put(w, e);
        }
        System.arraycopy(w, 0, e.weights(), 0, w.length);
        transform.accept(e.u());
        return e.u();
    }
}
