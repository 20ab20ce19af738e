package dev.vgg4j.tornado.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * One work-item per element over the device heap. Every tensor is an offset into {@code heap};
 * {@code ip[COUNT]} is the element count and the grid is rounded up to {@link Params#GROUP}.
 */
public final class ElementwiseKernels {
    private ElementwiseKernels() {}

    /** {@link #fill}: {@code count} elements at {@code target} set to {@code value}. */
    public record FillArgs(int count, int target, float value) implements LaunchArgs.Elementwise {
        public static final int TARGET = 1;
        public static final int VALUE = 0;

        @Override
        public int[] ints() {
            int[] ip = new int[2];
            ip[COUNT] = count;
            ip[TARGET] = target;
            return ip;
        }

        @Override
        public float[] floats() {
            return new float[] {value};
        }
    }

    /**
     * Kernels reading one tensor and writing another, element by element: copy, ReLU forward, and
     * y = alpha * x + beta * y ({@link #axpby}; alpha and beta unused by the others).
     */
    public record UnaryArgs(int count, int x, int y, float alpha, float beta) implements LaunchArgs.Elementwise {
        public static final int X = 1;
        public static final int Y = 2;
        public static final int ALPHA = 0;
        public static final int BETA = 1;

        public UnaryArgs(int count, int x, int y) {
            this(count, x, y, 0f, 0f);
        }

        @Override
        public int[] ints() {
            int[] ip = new int[3];
            ip[COUNT] = count;
            ip[X] = x;
            ip[Y] = y;
            return ip;
        }

        @Override
        public float[] floats() {
            float[] fp = new float[2];
            fp[ALPHA] = alpha;
            fp[BETA] = beta;
            return fp;
        }
    }

    /** Kernels combining two tensors into a third: {@link #multiply} (a, b, out), {@link #reluBackward} (y, gradY, gradX). */
    public record BinaryArgs(int count, int a, int b, int out) implements LaunchArgs.Elementwise {
        public static final int A = 1;
        public static final int B = 2;
        public static final int OUT = 3;

        @Override
        public int[] ints() {
            int[] ip = new int[4];
            ip[COUNT] = count;
            ip[A] = a;
            ip[B] = b;
            ip[OUT] = out;
            return ip;
        }
    }

    /** {@link #channelBroadcast}: out [count] viewed as [N, channels, plane] gets values[channel]. */
    public record BroadcastArgs(int count, int values, int out, int channels, int plane) implements LaunchArgs.Elementwise {
        public static final int VALUES = 1;
        public static final int OUT = 2;
        public static final int CHANNELS = 3;
        public static final int PLANE = 4;

        @Override
        public int[] ints() {
            int[] ip = new int[5];
            ip[COUNT] = count;
            ip[VALUES] = values;
            ip[OUT] = out;
            ip[CHANNELS] = channels;
            ip[PLANE] = plane;
            return ip;
        }
    }

    /** {@link #dropoutForward}: the seed travels as two int words; drop probability p and the keep scale 1 / (1 - p). */
    public record DropoutArgs(int count, int x, int y, int mask, long seed, float p) implements LaunchArgs.Elementwise {
        public static final int X = 1;
        public static final int Y = 2;
        public static final int MASK = 3;
        public static final int SEED_HIGH = 4;
        public static final int SEED_LOW = 5;
        public static final int P = 0;
        public static final int KEEP_SCALE = 1;

        @Override
        public int[] ints() {
            int[] ip = new int[6];
            ip[COUNT] = count;
            ip[X] = x;
            ip[Y] = y;
            ip[MASK] = mask;
            ip[SEED_HIGH] = (int) (seed >>> 32);
            ip[SEED_LOW] = (int) seed;
            return ip;
        }

        @Override
        public float[] floats() {
            float[] fp = new float[2];
            fp[P] = p;
            fp[KEEP_SCALE] = 1f / (1f - p);
            return fp;
        }
    }

    /** heap[target + i] = value. */
    public static void fill(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(FillArgs.COUNT)) {
            heap.set(ip.get(FillArgs.TARGET) + i, fp.get(FillArgs.VALUE));
        }
    }

    /** heap[y + i] = heap[x + i]. */
    public static void copy(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(UnaryArgs.COUNT)) {
            heap.set(ip.get(UnaryArgs.Y) + i, heap.get(ip.get(UnaryArgs.X) + i));
        }
    }

    /** y[i] = alpha * x[i] + beta * y[i] (axpy: alpha, 1; scale: x = y, alpha, 0). */
    public static void axpby(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(UnaryArgs.COUNT)) {
            int y = ip.get(UnaryArgs.Y) + i;
            heap.set(y, fp.get(UnaryArgs.ALPHA) * heap.get(ip.get(UnaryArgs.X) + i) + fp.get(UnaryArgs.BETA) * heap.get(y));
        }
    }

    /** out[i] = a[i] * b[i] (dropout backward: gradY * mask). */
    public static void multiply(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(BinaryArgs.COUNT)) {
            heap.set(ip.get(BinaryArgs.OUT) + i, heap.get(ip.get(BinaryArgs.A) + i) * heap.get(ip.get(BinaryArgs.B) + i));
        }
    }

    /**
     * Per-channel broadcast over [N, C, P]: out[i] = values[(i / P) % C]. Linear bias rows are C =
     * out, P = 1; a convolution's bias before its GEMM accumulates is C = F, P = OH*OW.
     */
    public static void channelBroadcast(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(BroadcastArgs.COUNT)) {
            int channel = (i / ip.get(BroadcastArgs.PLANE)) % ip.get(BroadcastArgs.CHANNELS);
            heap.set(ip.get(BroadcastArgs.OUT) + i, heap.get(ip.get(BroadcastArgs.VALUES) + channel));
        }
    }

    /** y = max(x, 0); y may be x. */
    public static void reluForward(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(UnaryArgs.COUNT)) {
            float x = heap.get(ip.get(UnaryArgs.X) + i);
            heap.set(ip.get(UnaryArgs.Y) + i, x > 0f ? x : 0f);
        }
    }

    /** gradX = y > 0 ? gradY : 0 with (a, b, out) = (y, gradY, gradX); gradX may be gradY. */
    public static void reluBackward(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(BinaryArgs.COUNT)) {
            float g = heap.get(ip.get(BinaryArgs.B) + i);
            heap.set(ip.get(BinaryArgs.OUT) + i, heap.get(ip.get(BinaryArgs.A) + i) > 0f ? g : 0f);
        }
    }

    /**
     * Inverted dropout with {@code CounterRng}'s SplitMix64 hash, bit for bit: kept (scaled by 1 /
     * (1 - p)) when {@code (hash(seed, i) >>> 40) * 2^-24 >= p}; the mask holds the scale or 0.
     */
    public static void dropoutForward(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int i = ctx.globalIdx;
        if (i < ip.get(DropoutArgs.COUNT)) {
            long seed = ((long) ip.get(DropoutArgs.SEED_HIGH) << 32) | (ip.get(DropoutArgs.SEED_LOW) & 0xFFFFFFFFL);
            // z >>> s written as (z >> s) & (2^(64-s) - 1): TornadoVM 5.2 emits a long >>> as a
            // signed shift in OpenCL C, which would differ from CounterRng for negative z.
            long z = seed + (i + 1L) * 0x9E3779B97F4A7C15L;
            z = (z ^ ((z >> 30) & 0x3FFFFFFFFL)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ ((z >> 27) & 0x1FFFFFFFFFL)) * 0x94D049BB133111EBL;
            z = z ^ ((z >> 31) & 0x1FFFFFFFFL);
            float uniform = (int) ((z >> 40) & 0xFFFFFFL) * 0x1.0p-24f;
            float mask = uniform >= fp.get(DropoutArgs.P) ? fp.get(DropoutArgs.KEEP_SCALE) : 0f;
            heap.set(ip.get(DropoutArgs.MASK) + i, mask);
            heap.set(ip.get(DropoutArgs.Y) + i, heap.get(ip.get(DropoutArgs.X) + i) * mask);
        }
    }
}
