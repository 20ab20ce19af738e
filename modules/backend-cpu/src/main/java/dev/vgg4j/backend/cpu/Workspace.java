package dev.vgg4j.backend.cpu;

import java.util.EnumMap;

/**
 * Scratch arrays that grow to the largest request and are then reused, so that after the first
 * training step the convolutions allocate nothing. One workspace per backend; ops run one at a time.
 */
final class Workspace {
    enum Slot {
        /** im2col matrix {@code [C*KH*KW, chunk*OH*OW]}. */
        COLUMNS,
        /** A convolution's output or output gradient regrouped as {@code [F, chunk*OH*OW]}. */
        GROUPED,
        /** Winograd: transformed filters {@code [16][F][C]}, or the weight gradient's sums before G^T . G. */
        WINOGRAD_FILTERS,
        /** Winograd: transformed input tiles {@code [16][C][tiles]}. */
        WINOGRAD_TILES,
        /** Winograd: products {@code [16][F][tiles]} before A^T . A, or the transformed output gradient. */
        WINOGRAD_PRODUCTS
    }

    private final EnumMap<Slot, float[]> arrays = new EnumMap<>(Slot.class);

    /** An array of at least {@code size} floats with undefined contents. */
    float[] get(Slot slot, int size) {
        float[] a = arrays.get(slot);
        if (a == null || a.length < size) {
            a = new float[size];
            arrays.put(slot, a);
        }
        return a;
    }
}
