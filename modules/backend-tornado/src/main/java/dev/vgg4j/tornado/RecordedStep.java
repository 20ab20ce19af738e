package dev.vgg4j.tornado;

import dev.vgg4j.tornado.kernels.LaunchArgs;
import dev.vgg4j.tornado.kernels.Params;
import java.util.List;
import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.WorkerGrid3D;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * A captured step as a few task graphs: a task per launch, in order, each with its own parameter
 * arrays and fixed grid, {@link #TASKS_PER_GRAPH} tasks per graph, so that a replay of the whole
 * step is one {@code execute()} per graph. What it fixes is the sequence of kernels and grids; the
 * parameters (tensor offsets, learning rate, Adam's bias corrections, the dropout seed) are written
 * again from the current run before every replay.
 */
final class RecordedStep {
    /**
     * Tasks per graph. TornadoVM 5.2 builds a graph of at most 1,024 nodes (it cannot grow it), and
     * each task takes several (the task, its two parameter arrays' allocations and copies): a recipe
     * step's 204 launches in one graph fail with "Tornado Graph resize not implemented yet". 32 per
     * graph gives the recipe step 7 replays.
     */
    static final int TASKS_PER_GRAPH = 32;

    private final String name;
    private final DeviceKernel[] kernels;
    private final DevicePlan.Grid[] grids;
    private final IntArray[] ints;
    private final FloatArray[] floats;

    RecordedStep(String name, List<Launch> launches) {
        this.name = name;
        int n = launches.size();
        kernels = new DeviceKernel[n];
        grids = new DevicePlan.Grid[n];
        ints = new IntArray[n];
        floats = new FloatArray[n];
        for (int t = 0; t < n; t++) {
            kernels[t] = launches.get(t).kernel();
            grids[t] = launches.get(t).grid();
            ints[t] = new IntArray(Params.INTS);
            floats[t] = new FloatArray(Params.FLOATS);
        }
    }

    String name() {
        return name;
    }

    int tasks() {
        return kernels.length;
    }

    /** Graphs the step is cut into. */
    int graphs() {
        return (kernels.length + TASKS_PER_GRAPH - 1) / TASKS_PER_GRAPH;
    }

    /** The name of graph {@code g}. */
    String graphName(int g) {
        return name + "_" + g;
    }

    /** Whether {@code launches} run the recorded kernels with the recorded grids, in order. */
    boolean matches(List<Launch> launches) {
        if (launches.size() != kernels.length) {
            return false;
        }
        for (int t = 0; t < kernels.length; t++) {
            if (launches.get(t).kernel() != kernels[t] || !launches.get(t).grid().equals(grids[t])) {
                return false;
            }
        }
        return true;
    }

    /** Writes each launch's parameters into its task's arrays (sent with the next replay). */
    void write(List<Launch> launches) {
        for (int t = 0; t < kernels.length; t++) {
            LaunchArgs args = launches.get(t).args();
            int[] ip = args.ints();
            float[] fp = args.floats();
            for (int i = 0; i < ip.length; i++) {
                ints[t].set(i, ip[i]);
            }
            for (int i = 0; i < fp.length; i++) {
                floats[t].set(i, fp[i]);
            }
        }
    }

    /**
     * Adds graph {@code g}'s tasks t0, t1, ... to {@code graph} (which consumes the heap), with their
     * parameter arrays, and their grids to {@code scheduler}.
     */
    TaskGraph declare(int g, TaskGraph graph, FloatArray heap, GridScheduler scheduler) {
        int first = g * TASKS_PER_GRAPH;
        int end = Math.min(kernels.length, first + TASKS_PER_GRAPH);
        for (int t = first; t < end; t++) {
            graph.transferToDevice(DataTransferMode.EVERY_EXECUTION, ints[t], floats[t]);
            kernels[t].task(graph, "t" + (t - first), heap, ints[t], floats[t]);
            DevicePlan.Grid grid = grids[t];
            WorkerGrid3D worker = new WorkerGrid3D(grid.gx(), grid.gy(), grid.gz());
            worker.setLocalWork(grid.lx(), grid.ly(), 1);
            scheduler.addWorkerGrid(graphName(g) + ".t" + (t - first), worker);
        }
        return graph;
    }
}
