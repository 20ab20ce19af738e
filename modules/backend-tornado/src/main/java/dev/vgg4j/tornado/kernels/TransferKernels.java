package dev.vgg4j.tornado.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.types.arrays.ByteArray;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Moves between the device heap and a staging array, the only arrays that cross the bus besides
 * the per-launch parameters.
 */
public final class TransferKernels {
    private TransferKernels() {}

    /**
     * {@code count} elements between the stage's start and the heap at {@code heapOffset}; image
     * bytes become {@code (byte & 0xFF) * scale + shift} (the other directions ignore the two).
     */
    public record StageArgs(int count, int heapOffset, float scale, float shift) implements LaunchArgs.Elementwise {
        public static final int HEAP_OFFSET = 1;
        public static final int SCALE = 0;
        public static final int SHIFT = 1;

        public StageArgs(int count, int heapOffset) {
            this(count, heapOffset, 1f, 0f);
        }

        @Override
        public int[] ints() {
            int[] ip = new int[2];
            ip[COUNT] = count;
            ip[HEAP_OFFSET] = heapOffset;
            return ip;
        }

        @Override
        public float[] floats() {
            float[] fp = new float[2];
            fp[SCALE] = scale;
            fp[SHIFT] = shift;
            return fp;
        }
    }

    /** heap[heapOffset + i] = stage[i]. */
    public static void stageIn(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp, FloatArray stage) {
        int i = ctx.globalIdx;
        if (i < ip.get(StageArgs.COUNT)) {
            heap.set(ip.get(StageArgs.HEAP_OFFSET) + i, stage.get(i));
        }
    }

    /** heap[heapOffset + i] = (stage[i] &amp; 0xFF) * scale + shift: image bytes normalised on the device. */
    public static void stageInBytes(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp, ByteArray stage) {
        int i = ctx.globalIdx;
        if (i < ip.get(StageArgs.COUNT)) {
            heap.set(ip.get(StageArgs.HEAP_OFFSET) + i, (stage.get(i) & 0xFF) * fp.get(StageArgs.SCALE) + fp.get(StageArgs.SHIFT));
        }
    }

    /** stage[i] = heap[heapOffset + i]. */
    public static void stageOut(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp, FloatArray stage) {
        int i = ctx.globalIdx;
        if (i < ip.get(StageArgs.COUNT)) {
            stage.set(i, heap.get(ip.get(StageArgs.HEAP_OFFSET) + i));
        }
    }
}
