package dev.vgg4j.tornado;

import dev.vgg4j.tornado.kernels.OptimizerKernels;
import dev.vgg4j.tornado.kernels.Params;
import dev.vgg4j.tornado.kernels.TransferKernels;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.ImmutableTaskGraph;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.TornadoExecutionResult;
import uk.ac.manchester.tornado.api.WorkerGrid;
import uk.ac.manchester.tornado.api.WorkerGrid3D;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.enums.ProfilerMode;
import uk.ac.manchester.tornado.api.types.arrays.ByteArray;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * The device side of the backend, built once per device and JVM: one float heap that holds every
 * tensor, and one execution plan with a task graph per kernel plus staging graphs for transfers.
 *
 * <p>Residency: the heap goes to the device once (the first graph, {@code FIRST_EXECUTION}); every
 * other graph {@code consumeFromDevice}s it and {@code persistOnDevice}s it again, so TornadoVM
 * hands the same device buffer from graph to graph and never copies it back. A launch moves only
 * its small parameter arrays ({@link Params#INTS} ints, {@link Params#FLOATS} floats) in; uploads
 * and downloads move through fixed staging arrays. {@link #bytesToDevice()} and
 * {@link #bytesToHost()} count all of it.
 *
 * <p>The plan is shared by every backend instance on the device (the kernels are JIT-compiled once
 * per JVM, which on PoCL takes seconds each); launches are serialised on this object.
 */
final class DevicePlan {
    /**
     * Staging sizes, elements: a transfer goes through the smallest that holds it (larger ones in
     * chunks of the largest), so labels move 16 KiB and a 128-image 50x50 batch moves 1 MiB of bytes.
     */
    static final int[] STAGE_SIZES = {1 << 12, 1 << 16, 1 << 20};

    private final TornadoDevice device;
    private final FloatArray heap;
    private final DeviceArena arena;
    private final TornadoExecutionPlan plan;
    private final Slot[] kernels;
    private final Staging floatsIn;
    private final Staging bytesIn;
    private final Staging floatsOut;
    private final AtomicLong toDevice = new AtomicLong();
    private final AtomicLong toHost = new AtomicLong();
    private final AtomicLong launches = new AtomicLong();
    private final LaunchProfile profile = new LaunchProfile();
    private final PendingAdam pendingAdam = new PendingAdam();
    /** One elementwise launch held back so that the next op can fold it into its own kernel. */
    private Deferred deferred;

    /** A held-back elementwise launch: its kernel and parameters. */
    record Deferred(DeviceKernel kernel, int[] ints, float[] floats) {}

    /** A graph's parameters and grid, its index in the plan and its name. */
    private record Slot(int index, String name, IntArray ints, FloatArray floats, WorkerGrid grid) {}

    /** Staging graphs of one direction and element type, one per size of {@link #STAGE_SIZES}. */
    private record Staging(Slot[] slots, Object[] arrays) {
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

    DevicePlan(TornadoDevice device, long heapFloats) {
        if (heapFloats > Integer.MAX_VALUE - 64L) {
            throw new IllegalArgumentException("tornado.memory: at most " + (4L * Integer.MAX_VALUE >> 20)
                    + " MiB (int offsets index the device heap), got " + (heapFloats * 4 >> 20) + " MiB");
        }
        this.device = device;
        this.heap = new FloatArray((int) heapFloats);
        this.arena = new DeviceArena(heapFloats);
        List<ImmutableTaskGraph> graphs = new ArrayList<>();
        GridScheduler grids = new GridScheduler();
        Slot init = newSlot(graphs.size(), "vgg4j_init");
        graphs.add(withKernel(new TaskGraph("vgg4j_init").transferToDevice(DataTransferMode.FIRST_EXECUTION, heap),
                "vgg4j_init", init, DeviceKernel.FILL, grids));
        kernels = new Slot[DeviceKernel.values().length];
        for (DeviceKernel k : DeviceKernel.values()) {
            String name = "vgg4j_" + k.name().toLowerCase();
            Slot slot = newSlot(graphs.size(), name);
            graphs.add(withKernel(new TaskGraph(name).consumeFromDevice(heap), name, slot, k, grids));
            kernels[k.ordinal()] = slot;
        }
        floatsIn = staging(graphs, grids, "in_f");
        bytesIn = staging(graphs, grids, "in_b");
        floatsOut = staging(graphs, grids, "out_f");
        plan = new TornadoExecutionPlan(graphs.toArray(ImmutableTaskGraph[]::new));
        plan.withDevice(device).withGridScheduler(grids);
        // Sends the heap to the device once; from here on it only moves through the staging graphs.
        init.ints().set(0, 0);
        execute(init, init.name(), 1, 1, 1, 1, 1);
        toDevice.addAndGet(heapFloats * Float.BYTES);
    }

    private static Slot newSlot(int index, String name) {
        return new Slot(index, name, new IntArray(Params.INTS), new FloatArray(Params.FLOATS), new WorkerGrid3D(1, 1, 1));
    }

    private ImmutableTaskGraph withKernel(TaskGraph graph, String name, Slot slot, DeviceKernel kernel, GridScheduler grids) {
        grids.addWorkerGrid(name + ".t", slot.grid());
        return graph.transferToDevice(DataTransferMode.EVERY_EXECUTION, slot.ints(), slot.floats())
                .task("t", kernel.code, new KernelContext(), heap, slot.ints(), slot.floats())
                .persistOnDevice(heap)
                .snapshot();
    }

    private Staging staging(List<ImmutableTaskGraph> graphs, GridScheduler grids, String what) {
        Slot[] slots = new Slot[STAGE_SIZES.length];
        Object[] arrays = new Object[STAGE_SIZES.length];
        for (int s = 0; s < STAGE_SIZES.length; s++) {
            String name = "vgg4j_" + what + "_" + STAGE_SIZES[s];
            Slot slot = newSlot(graphs.size(), name);
            grids.addWorkerGrid(name + ".t", slot.grid());
            TaskGraph g = new TaskGraph(name).consumeFromDevice(heap)
                    .transferToDevice(DataTransferMode.EVERY_EXECUTION, slot.ints(), slot.floats());
            switch (what) {
                case "in_f" -> {
                    FloatArray stage = new FloatArray(STAGE_SIZES[s]);
                    g.transferToDevice(DataTransferMode.EVERY_EXECUTION, stage)
                            .task("t", TransferKernels::stageIn, new KernelContext(), heap, slot.ints(), slot.floats(), stage);
                    arrays[s] = stage;
                }
                case "in_b" -> {
                    ByteArray stage = new ByteArray(STAGE_SIZES[s]);
                    g.transferToDevice(DataTransferMode.EVERY_EXECUTION, stage)
                            .task("t", TransferKernels::stageInBytes, new KernelContext(), heap, slot.ints(), slot.floats(), stage);
                    arrays[s] = stage;
                }
                default -> {
                    FloatArray stage = new FloatArray(STAGE_SIZES[s]);
                    g.task("t", TransferKernels::stageOut, new KernelContext(), heap, slot.ints(), slot.floats(), stage)
                            .transferToHost(DataTransferMode.EVERY_EXECUTION, stage);
                    arrays[s] = stage;
                }
            }
            graphs.add(g.persistOnDevice(heap).snapshot());
            slots[s] = slot;
        }
        return new Staging(slots, arrays);
    }

    DeviceArena arena() {
        return arena;
    }

    String deviceName() {
        return device.getDeviceName() + " (" + device.getDeviceType() + ", TornadoVM " + device.getTornadoVMBackend() + ")";
    }

    long bytesToDevice() {
        return toDevice.get();
    }

    long bytesToHost() {
        return toHost.get();
    }

    long launches() {
        return launches.get();
    }

    /**
     * Starts a fresh profile per kernel graph (GEMMs per shape): launches and host time always, and
     * with {@code deviceTimes} TornadoVM's profiler (driver-measured kernel time, at some cost per launch).
     */
    synchronized void startProfile(boolean deviceTimes) {
        if (deviceTimes) {
            plan.withProfiler(ProfilerMode.SILENT);
        } else {
            plan.withoutProfiler();
        }
        profile.reset(deviceTimes);
    }

    /** The profile since {@link #startProfile}, one line per graph (GEMM shape) that ran, slowest first. */
    synchronized List<LaunchProfile.Line> profile() {
        return profile.lines();
    }

    // ---------------------------------------------------------------- launches

    /** One work-item per element, {@code ints[0]} is the element count. */
    synchronized void elementwise(DeviceKernel kernel, int[] ints, float... floats) {
        int n = ints[0];
        if (n > 0) {
            Slot slot = kernels[kernel.ordinal()];
            run(slot, slot.name(), ints, floats, roundUp(n, Params.GROUP), 1, 1, Params.GROUP, 1);
        }
    }

    /**
     * Holds back an elementwise launch whose output the next op may consume in its own kernel (see
     * {@link #takeDeferred}); any other launch, transfer or flush launches it first, so order is kept.
     */
    synchronized void deferElementwise(DeviceKernel kernel, int[] ints, float... floats) {
        flush();
        if (ints[0] > 0) {
            deferred = new Deferred(kernel, ints, floats);
        }
    }

    /**
     * The held-back launch, handed over to the caller (who launches a kernel that does its work too), if
     * it is {@code kernel} writing {@code size} elements at the offset {@code ints[outputIndex] ==
     * offset}; otherwise everything pending is launched and the answer is null.
     */
    synchronized Deferred takeDeferred(DeviceKernel kernel, int outputIndex, int offset, int size) {
        Deferred d = deferred;
        if (d != null && d.kernel() == kernel && d.ints()[outputIndex] == offset && d.ints()[0] == size) {
            deferred = null;
            return d;
        }
        flush();
        return null;
    }

    /** {@code groups} work-groups of {@link Params#GROUP} work-items, one per channel. */
    synchronized void perGroup(DeviceKernel kernel, int groups, int[] ints, float... floats) {
        if (groups > 0) {
            Slot slot = kernels[kernel.ordinal()];
            run(slot, slot.name(), ints, floats, groups * Params.GROUP, 1, 1, Params.GROUP, 1);
        }
    }

    /** The GEMM grid: a TILE x TILE work-group per GEMM_ROWS x GEMM_COLS block of C, z over the batch (or K slices). */
    synchronized void gemm(int m, int n, int batch, int[] ints, float... floats) {
        int gx = (n + Params.GEMM_COLS - 1) / Params.GEMM_COLS * Params.TILE;
        int gy = (m + Params.GEMM_ROWS - 1) / Params.GEMM_ROWS * Params.TILE;
        Slot slot = kernels[DeviceKernel.GEMM.ordinal()];
        // Profiled per shape (M x N x K, batch or K slices), which says which layer's GEMM is slow.
        String shape = slot.name() + " " + m + "x" + n + "x" + ints[2] + (batch > 1 ? " z" + batch : "");
        run(slot, shape, ints, floats, gx, gy, batch, Params.TILE, Params.TILE);
    }

    /**
     * Adam for one tensor, deferred: consecutive updates with the same hyper-parameters go out as one
     * launch (see {@link OptimizerKernels#adam}) before anything else touches the device.
     */
    synchronized void adam(int param, int grad, int m, int v, int size, boolean decoupled, float[] hyper) {
        if (deferred != null || !pendingAdam.accepts(size, decoupled, hyper)) {
            flush();
        }
        pendingAdam.add(param, grad, m, v, size, decoupled, hyper);
    }

    /** Launches whatever is deferred; every launch and transfer does this first, so order is kept. */
    synchronized void flush() {
        if (deferred != null) {
            Deferred d = deferred;
            deferred = null;
            elementwise(d.kernel(), d.ints(), d.floats());
        }
        if (!pendingAdam.isEmpty()) {
            int[] ints = pendingAdam.ints();
            float[] floats = pendingAdam.floats();
            int n = ints[0];
            pendingAdam.clear();
            Slot slot = kernels[DeviceKernel.ADAM.ordinal()];
            run(slot, slot.name(), ints, floats, roundUp(n, Params.GROUP), 1, 1, Params.GROUP, 1);
        }
    }

    private void run(Slot slot, String label, int[] ints, float[] floats, int gx, int gy, int gz, int lx, int ly) {
        flush();
        for (int i = 0; i < ints.length; i++) {
            slot.ints().set(i, ints[i]);
        }
        for (int i = 0; i < floats.length; i++) {
            slot.floats().set(i, floats[i]);
        }
        execute(slot, label, gx, gy, gz, lx, ly);
    }

    private void execute(Slot slot, String label, int gx, int gy, int gz, int lx, int ly) {
        slot.grid().setGlobalWork(gx, gy, gz);
        slot.grid().setLocalWork(lx, ly, 1);
        long start = System.nanoTime();
        TornadoExecutionResult result = plan.withGraph(slot.index()).execute();
        profile.record(label, System.nanoTime() - start,
                profile.deviceTimes() ? result.getProfilerResult().getDeviceKernelTime() : 0);
        launches.incrementAndGet();
        toDevice.addAndGet((Params.INTS + Params.FLOATS) * 4L);
    }

    // ---------------------------------------------------------------- staged transfers

    /** heap[offset ..] = src, in chunks of the staging array. */
    synchronized void upload(float[] src, int offset) {
        for (int done = 0; done < src.length; ) {
            int s = floatsIn.fitting(src.length - done);
            FloatArray stage = (FloatArray) floatsIn.arrays()[s];
            int n = Math.min(src.length - done, stage.getSize());
            MemorySegment.copy(src, done, stage.getSegment(), ValueLayout.JAVA_FLOAT, 0, n);
            stagedLaunch(floatsIn.slots()[s], n, offset + done, new float[0]);
            toDevice.addAndGet((long) stage.getSize() * Float.BYTES);
            done += n;
        }
    }

    /** heap[offset + i] = (src[i] & 0xFF) * scale + shift: a quarter of the traffic of floats. */
    synchronized void upload(byte[] src, float scale, float shift, int offset) {
        for (int done = 0; done < src.length; ) {
            int s = bytesIn.fitting(src.length - done);
            ByteArray stage = (ByteArray) bytesIn.arrays()[s];
            int n = Math.min(src.length - done, stage.getSize());
            MemorySegment.copy(src, done, stage.getSegment(), ValueLayout.JAVA_BYTE, 0, n);
            stagedLaunch(bytesIn.slots()[s], n, offset + done, new float[] {scale, shift});
            toDevice.addAndGet(stage.getSize());
            done += n;
        }
    }

    /** dst[0 .. count) = heap[offset ..]; waits for every launch before it (TornadoVM runs in order). */
    synchronized void download(int offset, float[] dst, int count) {
        for (int done = 0; done < count; ) {
            int s = floatsOut.fitting(count - done);
            FloatArray stage = (FloatArray) floatsOut.arrays()[s];
            int n = Math.min(count - done, stage.getSize());
            stagedLaunch(floatsOut.slots()[s], n, offset + done, new float[0]);
            MemorySegment.copy(stage.getSegment(), ValueLayout.JAVA_FLOAT, 0, dst, done, n);
            toHost.addAndGet((long) stage.getSize() * Float.BYTES);
            done += n;
        }
    }

    private void stagedLaunch(Slot slot, int n, int heapOffset, float[] floats) {
        run(slot, slot.name(), new int[] {n, heapOffset}, floats, roundUp(n, Params.GROUP), 1, 1, Params.GROUP, 1);
    }

    private static int roundUp(int n, int multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }
}
