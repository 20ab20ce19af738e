package dev.vgg4j.tornado;

import dev.vgg4j.tornado.kernels.LaunchArgs;
import dev.vgg4j.tornado.kernels.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.ImmutableTaskGraph;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.TornadoExecutionResult;
import uk.ac.manchester.tornado.api.WorkerGrid;
import uk.ac.manchester.tornado.api.WorkerGrid3D;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.enums.ProfilerMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * The device side of the backend, built once per device and JVM: one float heap that holds every
 * tensor, and one execution plan with a task graph per kernel ({@link DeviceKernel}) plus the
 * staging graphs of {@link StagedTransfers}. Launches go through its {@link LaunchQueue}.
 *
 * <p>Residency: the heap goes to the device once (the first graph, {@code FIRST_EXECUTION}); every
 * other graph {@code consumeFromDevice}s it and {@code persistOnDevice}s it again, so TornadoVM
 * hands the same device buffer from graph to graph and never copies it back. A launch moves only
 * its small parameter arrays ({@link Params#INTS} ints, {@link Params#FLOATS} floats) in.
 * {@link #bytesToDevice()} and {@link #bytesToHost()} count all traffic.
 *
 * <p>The plan is shared by every backend instance on the device (the kernels are JIT-compiled once
 * per JVM, which on PoCL takes seconds each); launches are serialised on this object.
 */
final class DevicePlan {
    private final TornadoDevice device;
    private final FloatArray heap;
    private final DeviceArena arena;
    /** Every graph of the plan, as a recipe: the plan is built again from them when a step is recorded. */
    private final List<Declaration> declarations = new ArrayList<>();
    /** The current execution plan; null while declarations were added since it was built. */
    private TornadoExecutionPlan plan;
    /** The last execution's result: what the heap is brought back through before the plan is rebuilt. */
    private TornadoExecutionResult last;
    private boolean deviceTimes;
    /** The first graph: it sends the heap to the device with each new plan. */
    private final Slot init;
    private final Slot[] kernels;
    private final StagedTransfers transfers;
    private final LaunchQueue queue;
    private final AtomicLong toDevice = new AtomicLong();
    private final AtomicLong toHost = new AtomicLong();
    private final AtomicLong launches = new AtomicLong();
    private final AtomicLong executes = new AtomicLong();
    private final LaunchProfile profile = new LaunchProfile();

    /** A graph's parameters and grid, its index in the plan and its name. */
    record Slot(int index, String name, IntArray ints, FloatArray floats, WorkerGrid grid) {}

    /** A launch's global and local work sizes. */
    record Grid(int gx, int gy, int gz, int lx, int ly) {
        /** One work-item per element, in work-groups of {@link Params#GROUP}. */
        static Grid elementwise(int count) {
            return new Grid(roundUp(count, Params.GROUP), 1, 1, Params.GROUP, 1);
        }

        /** {@code groups} work-groups of {@link Params#GROUP} work-items (one per channel). */
        static Grid perGroup(int groups) {
            return new Grid(groups * Params.GROUP, 1, 1, Params.GROUP, 1);
        }

        private static int roundUp(int n, int multiple) {
            return (n + multiple - 1) / multiple * multiple;
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
        init = declare("vgg4j_init", DataTransferMode.FIRST_EXECUTION,
                (g, h, slot) -> DeviceKernel.FILL.task(g, "t", h, slot.ints(), slot.floats()));
        kernels = new Slot[DeviceKernel.values().length];
        for (DeviceKernel k : DeviceKernel.values()) {
            kernels[k.ordinal()] = declare("vgg4j_" + k.name().toLowerCase(), -1,
                    (g, h, slot) -> k.task(g, "t", h, slot.ints(), slot.floats()));
        }
        transfers = new StagedTransfers(this);
        queue = new LaunchQueue(this);
        build();
    }

    /** A graph of the plan: declared once, built into every plan. */
    private interface Declaration {
        /** The graph, its heap transfers and parameter arrays included; its grids go to {@code grids}. */
        TaskGraph graph(GridScheduler grids);
    }

    /**
     * Builds the execution plan from the declarations and sends the heap to the device (a fill of no
     * elements by the first graph, whose heap transfer is {@code FIRST_EXECUTION}); from here on it
     * only moves through the staging graphs, or back to the host once when the plan is rebuilt.
     */
    private void build() {
        GridScheduler grids = new GridScheduler();
        ImmutableTaskGraph[] graphs = declarations.stream().map(d -> d.graph(grids).snapshot()).toArray(ImmutableTaskGraph[]::new);
        plan = new TornadoExecutionPlan(graphs);
        plan.withDevice(device).withGridScheduler(grids);
        if (deviceTimes) {
            plan.withProfiler(ProfilerMode.SILENT);
        }
        // Not counted as a launch: it moves the heap, like the staging graphs it is not a step's op.
        init.ints().set(0, 0);
        init.grid().setGlobalWork(1, 1, 1);
        init.grid().setLocalWork(1, 1, 1);
        last = plan.withGraph(init.index()).execute();
        toDevice.addAndGet((long) heap.getSize() * Float.BYTES + (Params.INTS + Params.FLOATS) * 4L);
    }

    /**
     * Adds {@code step} to the plan as a few more graphs (the index of the first is returned). The plan is built again before the next
     * launch: TornadoVM's plans are fixed once built, and one plan cannot consume another's device
     * buffers, so the heap comes back to the host and goes to the device again with the new plan,
     * and every kernel is compiled again for it (TornadoVM caches compiled code per plan).
     */
    synchronized int declareRecording(RecordedStep step) {
        int index = declarations.size();
        for (int g = 0; g < step.graphs(); g++) {
            int graph = g;
            declarations.add(grids -> step.declare(graph, new TaskGraph(step.graphName(graph)).consumeFromDevice(heap),
                    heap, grids).persistOnDevice(heap));
        }
        if (plan != null) {
            last.transferToHost(heap);
            toHost.addAndGet((long) heap.getSize() * Float.BYTES);
            try {
                plan.freeDeviceMemory().close();
            } catch (Exception e) {
                throw new IllegalStateException("tornado: could not release the execution plan before recording "
                        + step.name(), e);
            }
            plan = null;
        }
        return index;
    }

    /** Replays a recorded step whose parameters were just written: one execute() per graph, from {@code firstGraph}. */
    synchronized void replay(int firstGraph, RecordedStep step) {
        if (plan == null) {
            build();
        }
        long start = System.nanoTime();
        long device = 0;
        for (int g = 0; g < step.graphs(); g++) {
            last = plan.withGraph(firstGraph + g).execute();
            device += profile.deviceTimes() ? last.getProfilerResult().getDeviceKernelTime() : 0;
        }
        profile.record(step.name() + " (" + step.tasks() + " tasks, " + step.graphs() + " graphs)",
                System.nanoTime() - start, device);
        executes.addAndGet(step.graphs());
        launches.addAndGet(step.tasks());
        toDevice.addAndGet((Params.INTS + Params.FLOATS) * 4L * step.tasks());
    }

    /** What a graph runs: its task "t" over the heap and the graph's parameter slot. */
    interface Tasks {
        TaskGraph add(TaskGraph graph, FloatArray heap, Slot slot);
    }

    /**
     * Adds a graph to the plan being built: it consumes the heap (or, with {@code heapTransfer} not
     * -1, transfers it in that mode), sends its parameter slot in every execution, runs
     * {@code tasks} (one task named "t") and persists the heap on the device. From the constructor
     * and {@link StagedTransfers}' constructor, before the first plan is built.
     */
    Slot declare(String name, int heapTransfer, Tasks tasks) {
        Slot slot = new Slot(declarations.size(), name, new IntArray(Params.INTS), new FloatArray(Params.FLOATS),
                new WorkerGrid3D(1, 1, 1));
        declarations.add(grids -> {
            grids.addWorkerGrid(name + ".t", slot.grid());
            TaskGraph g = new TaskGraph(name);
            g = heapTransfer < 0 ? g.consumeFromDevice(heap) : g.transferToDevice(heapTransfer, heap);
            g = tasks.add(g.transferToDevice(DataTransferMode.EVERY_EXECUTION, slot.ints(), slot.floats()), heap, slot);
            return g.persistOnDevice(heap);
        });
        return slot;
    }

    DeviceArena arena() {
        return arena;
    }

    LaunchQueue queue() {
        return queue;
    }

    StagedTransfers transfers() {
        return transfers;
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

    void countToDevice(long bytes) {
        toDevice.addAndGet(bytes);
    }

    void countToHost(long bytes) {
        toHost.addAndGet(bytes);
    }

    /** Kernels run: one per op launched alone, a recorded step's task count per replay. */
    long launches() {
        return launches.get();
    }

    /** Calls of TornadoVM's execute(): one per op launched alone, one per graph of a recorded step's replay. */
    long executes() {
        return executes.get();
    }

    /**
     * Starts a fresh profile per kernel graph (GEMMs per shape): launches and host time always, and
     * with {@code deviceTimes} TornadoVM's profiler (driver-measured kernel time, at some cost per launch).
     */
    synchronized void startProfile(boolean withDeviceTimes) {
        deviceTimes = withDeviceTimes;
        if (plan != null) {
            if (deviceTimes) {
                plan.withProfiler(ProfilerMode.SILENT);
            } else {
                plan.withoutProfiler();
            }
        }
        profile.reset(deviceTimes);
    }

    /** The profile since {@link #startProfile}, one line per graph (GEMM shape) that ran, slowest first. */
    synchronized List<LaunchProfile.Line> profile() {
        return profile.lines();
    }

    /** Runs {@code kernel}'s graph with these parameters and grid, profiled under {@code label}. */
    void run(DeviceKernel kernel, String label, LaunchArgs args, Grid grid) {
        run(kernels[kernel.ordinal()], label, args, grid);
    }

    /** The graph's own name, the profile label of every kernel but the GEMM (which adds its shape). */
    String name(DeviceKernel kernel) {
        return kernels[kernel.ordinal()].name();
    }

    synchronized void run(Slot slot, String label, LaunchArgs args, Grid grid) {
        if (plan == null) {
            build();
        }
        int[] ints = args.ints();
        float[] floats = args.floats();
        for (int i = 0; i < ints.length; i++) {
            slot.ints().set(i, ints[i]);
        }
        for (int i = 0; i < floats.length; i++) {
            slot.floats().set(i, floats[i]);
        }
        execute(slot, label, grid);
    }

    private void execute(Slot slot, String label, Grid grid) {
        slot.grid().setGlobalWork(grid.gx(), grid.gy(), grid.gz());
        slot.grid().setLocalWork(grid.lx(), grid.ly(), 1);
        long start = System.nanoTime();
        last = plan.withGraph(slot.index()).execute();
        profile.record(label, System.nanoTime() - start,
                profile.deviceTimes() ? last.getProfilerResult().getDeviceKernelTime() : 0);
        launches.incrementAndGet();
        executes.incrementAndGet();
        toDevice.addAndGet((Params.INTS + Params.FLOATS) * 4L);
    }
}
