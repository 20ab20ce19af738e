package dev.vgg4j.tornado.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/** The cast of float16 autocast: a float32 tensor to the nearest halves ({@link HalfFloats}), kept as floats. */
public final class HalfKernels {
    private HalfKernels() {}

    /** {@link #roundToHalf}: {@code count} floats at {@code src} to half-rounded floats at {@code dst} (may be src). */
    public record CastArgs(int count, int src, int dst) implements LaunchArgs.Elementwise {
        public static final int SRC = 1;
        public static final int DST = 2;

        @Override
        public int[] ints() {
            int[] ip = new int[3];
            ip[COUNT] = count;
            ip[SRC] = src;
            ip[DST] = dst;
            return ip;
        }
    }

    /** dst[i] = half(src[i]), one work-item per element. */
    public static void roundToHalf(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(CastArgs.COUNT)) {
            heap.set(ip.get(CastArgs.DST) + i, HalfFloats.round(heap.get(ip.get(CastArgs.SRC) + i)));
        }
    }
}
