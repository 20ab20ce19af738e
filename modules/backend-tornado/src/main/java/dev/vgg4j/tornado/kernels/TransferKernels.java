package dev.vgg4j.tornado.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.types.arrays.ByteArray;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Moves between the device heap and a staging array, the only arrays that cross the bus besides
 * the per-launch parameters. ip: n, heap offset.
 */
public final class TransferKernels {
    private TransferKernels() {}

    /** heap[off + i] = stage[i]. */
    public static void stageIn(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp, FloatArray stage) {
        int i = ctx.globalIdx;
        if (i < ip.get(0)) {
            heap.set(ip.get(1) + i, stage.get(i));
        }
    }

    /** heap[off + i] = (stage[i] &amp; 0xFF) * fp[0] + fp[1]: image bytes normalised on the device. */
    public static void stageInBytes(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp, ByteArray stage) {
        int i = ctx.globalIdx;
        if (i < ip.get(0)) {
            heap.set(ip.get(1) + i, (stage.get(i) & 0xFF) * fp.get(0) + fp.get(1));
        }
    }

    /** stage[i] = heap[off + i]. */
    public static void stageOut(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp, FloatArray stage) {
        int i = ctx.globalIdx;
        if (i < ip.get(0)) {
            stage.set(i, heap.get(ip.get(1) + i));
        }
    }
}
