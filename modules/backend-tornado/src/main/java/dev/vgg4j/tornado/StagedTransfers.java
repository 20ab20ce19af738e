package dev.vgg4j.tornado;

import dev.vgg4j.tornado.kernels.TransferKernels;
import dev.vgg4j.tornado.kernels.TransferKernels.StageArgs;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.ByteArray;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.TornadoNativeArray;

/**
 * Host transfers through fixed staging arrays: a graph per direction, element type and size moves
 * a staging array across the bus and a kernel copies it between the array and the heap (image bytes
 * are normalised on the way). Everything queued is launched first, so a transfer sees every op
 * issued before it.
 */
final class StagedTransfers {
    /**
     * Staging sizes, elements: a transfer goes through the smallest that holds it (larger ones in
     * chunks of the largest), so labels move 16 KiB and a 128-image 50x50 batch moves 1 MiB of bytes.
     */
    static final int[] STAGE_SIZES = {1 << 12, 1 << 16, 1 << 20};

    private final DevicePlan plan;
    private final Staging floatsIn;
    private final Staging bytesIn;
    private final Staging floatsOut;

    /** Staging graphs of one direction and element type, one per size of {@link #STAGE_SIZES}. */
    private record Staging(DevicePlan.Slot[] slots, TornadoNativeArray[] arrays) {
        /** The index of the smallest staging array that holds {@code n} elements, else the largest. */
        int fitting(int n) {
            for (int s = 0; s < STAGE_SIZES.length; s++) {
                if (n <= STAGE_SIZES[s]) {
                    return s;
                }
            }
            return STAGE_SIZES.length - 1;
        }
    }

    /** Declares the staging graphs in {@code plan}, which is being built. */
    StagedTransfers(DevicePlan plan) {
        this.plan = plan;
        floatsIn = staging("in_f");
        bytesIn = staging("in_b");
        floatsOut = staging("out_f");
    }

    private Staging staging(String what) {
        DevicePlan.Slot[] slots = new DevicePlan.Slot[STAGE_SIZES.length];
        TornadoNativeArray[] arrays = new TornadoNativeArray[STAGE_SIZES.length];
        for (int s = 0; s < STAGE_SIZES.length; s++) {
            int size = STAGE_SIZES[s];
            TornadoNativeArray stage = what.equals("in_b") ? new ByteArray(size) : new FloatArray(size);
            arrays[s] = stage;
            slots[s] = plan.declare("vgg4j_" + what + "_" + size, -1, (g, heap, slot) -> switch (what) {
                case "in_f" -> g.transferToDevice(DataTransferMode.EVERY_EXECUTION, stage)
                        .task("t", TransferKernels::stageIn, new KernelContext(), heap, slot.ints(), slot.floats(),
                                (FloatArray) stage);
                case "in_b" -> g.transferToDevice(DataTransferMode.EVERY_EXECUTION, stage)
                        .task("t", TransferKernels::stageInBytes, new KernelContext(), heap, slot.ints(), slot.floats(),
                                (ByteArray) stage);
                default -> g.task("t", TransferKernels::stageOut, new KernelContext(), heap, slot.ints(), slot.floats(),
                                (FloatArray) stage)
                        .transferToHost(DataTransferMode.EVERY_EXECUTION, stage);
            });
        }
        return new Staging(slots, arrays);
    }

    /** heap[offset ..] = src, in chunks of the staging array. */
    synchronized void upload(float[] src, int offset) {
        plan.queue().flush();
        for (int done = 0; done < src.length; ) {
            int s = floatsIn.fitting(src.length - done);
            FloatArray stage = (FloatArray) floatsIn.arrays()[s];
            int n = Math.min(src.length - done, stage.getSize());
            MemorySegment.copy(src, done, stage.getSegment(), ValueLayout.JAVA_FLOAT, 0, n);
            launch(floatsIn.slots()[s], new StageArgs(n, offset + done));
            plan.countToDevice((long) stage.getSize() * Float.BYTES);
            done += n;
        }
    }

    /** heap[offset + i] = (src[i] & 0xFF) * scale + shift: a quarter of the traffic of floats. */
    synchronized void upload(byte[] src, float scale, float shift, int offset) {
        plan.queue().flush();
        for (int done = 0; done < src.length; ) {
            int s = bytesIn.fitting(src.length - done);
            ByteArray stage = (ByteArray) bytesIn.arrays()[s];
            int n = Math.min(src.length - done, stage.getSize());
            MemorySegment.copy(src, done, stage.getSegment(), ValueLayout.JAVA_BYTE, 0, n);
            launch(bytesIn.slots()[s], new StageArgs(n, offset + done, scale, shift));
            plan.countToDevice(stage.getSize());
            done += n;
        }
    }

    /** dst[0 .. count) = heap[offset ..]; waits for every launch before it (TornadoVM runs in order). */
    synchronized void download(int offset, float[] dst, int count) {
        plan.queue().flush();
        for (int done = 0; done < count; ) {
            int s = floatsOut.fitting(count - done);
            FloatArray stage = (FloatArray) floatsOut.arrays()[s];
            int n = Math.min(count - done, stage.getSize());
            launch(floatsOut.slots()[s], new StageArgs(n, offset + done));
            MemorySegment.copy(stage.getSegment(), ValueLayout.JAVA_FLOAT, 0, dst, done, n);
            plan.countToHost((long) stage.getSize() * Float.BYTES);
            done += n;
        }
    }

    private void launch(DevicePlan.Slot slot, StageArgs args) {
        plan.run(slot, slot.name(), args, DevicePlan.Grid.elementwise(args.count()));
    }
}
