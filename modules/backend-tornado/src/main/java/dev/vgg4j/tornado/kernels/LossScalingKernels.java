package dev.vgg4j.tornado.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/** {@code GradScaler}'s unscale on the device: one work-item per gradient element. */
public final class LossScalingKernels {
    private LossScalingKernels() {}

    /** {@link #unscaleAndCheckFinite}: gradient {@code [count]} at {@code grad}, the flag {@code [1]} at {@code foundInf}. */
    public record UnscaleArgs(int count, int grad, int foundInf, float invScale) implements LaunchArgs.Elementwise {
        public static final int GRAD = 1;
        public static final int FOUND_INF = 2;
        public static final int INV_SCALE = 0;
        /** Float.MAX_VALUE, passed in (see the kernel). */
        public static final int LARGEST = 1;

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
            float[] fp = new float[2];
            fp[INV_SCALE] = invScale;
            fp[LARGEST] = Float.MAX_VALUE;
            return fp;
        }
    }

    /**
     * grad[i] *= invScale; foundInf = 1 when grad[i] was inf or NaN. Every work-item that finds one
     * writes the same 1, so the race is harmless. TornadoVM builds OpenCL with
     * {@code -cl-fast-relaxed-math}, so the infinity test compares with the largest float as a
     * parameter, which the compiler cannot fold; {@code g != g} survives it (the max-pool kernel's NaN
     * test relies on it too, checked by the kit). No bit test: TornadoVM 5.2 cannot compile arithmetic
     * on {@code Float.floatToRawIntBits}.
     */
    public static void unscaleAndCheckFinite(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(UnscaleArgs.COUNT)) {
            int at = ip.get(UnscaleArgs.GRAD) + i;
            float g = heap.get(at);
            float largest = fp.get(UnscaleArgs.LARGEST);
            if (g != g || g > largest || g < -largest) {
                heap.set(ip.get(UnscaleArgs.FOUND_INF), 1f);
            }
            heap.set(at, g * fp.get(UnscaleArgs.INV_SCALE));
        }
    }
}
