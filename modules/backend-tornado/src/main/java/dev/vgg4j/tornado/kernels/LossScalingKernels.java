package dev.vgg4j.tornado.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/** {@code GradScaler}'s unscale on the device: one work-item per gradient element. */
public final class LossScalingKernels {
    private LossScalingKernels() {}

    /** A float's exponent bits: all set for infinities and NaN. */
    private static final int EXPONENT_BITS = 0x7F800000;

    /** {@link #unscaleAndCheckFinite}: gradient {@code [count]} at {@code grad}, the flag {@code [1]} at {@code foundInf}. */
    public record UnscaleArgs(int count, int grad, int foundInf, float invScale) implements LaunchArgs.Elementwise {
        public static final int GRAD = 1;
        public static final int FOUND_INF = 2;
        public static final int INV_SCALE = 0;

        @Override
        public int[] ints() {
            int[] ip = new int[3];
            ip[COUNT] = count;
            ip[GRAD] = grad;
            ip[FOUND_INF] = foundInf;
            return ip;
        }

        @Override
        public float[] floats() {
            return new float[] {invScale};
        }
    }

    /**
     * grad[i] *= invScale; foundInf = 1 when grad[i] was inf or NaN. Every work-item that finds one
     * writes the same 1, so the race is harmless. The test is on the exponent bits because a
     * compiler allowed to assume finite math may fold {@code g != g} away.
     */
    public static void unscaleAndCheckFinite(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(UnscaleArgs.COUNT)) {
            int at = ip.get(UnscaleArgs.GRAD) + i;
            float g = heap.get(at);
            if ((Float.floatToRawIntBits(g) & EXPONENT_BITS) == EXPONENT_BITS) {
                heap.set(ip.get(UnscaleArgs.FOUND_INF), 1f);
            }
            heap.set(at, g * fp.get(UnscaleArgs.INV_SCALE));
        }
    }
}
