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
 * A captured step as one task graph: a task per launch, in order, each with its own parameter
 * arrays and fixed grid, so that one {@code execute()} replays the whole step. What it fixes is the
 * sequence of kernels and grids; the parameters (tensor offsets, learning rate, Adam's bias
 * corrections, the dropout seed) are written again from the current run before every replay.
 */
final class RecordedStep {
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

    /** Adds the tasks t0, t1, ... to {@code graph} (which consumes the heap) and their grids to {@code scheduler}. */
    TaskGraph declare(TaskGraph graph, FloatArray heap, GridScheduler scheduler) {
        graph.transferToDevice(DataTransferMode.EVERY_EXECUTION, (Object[]) ints);
        graph.transferToDevice(DataTransferMode.EVERY_EXECUTION, (Object[]) floats);
        for (int t = 0; t < kernels.length; t++) {
            kernels[t].task(graph, "t" + t, heap, ints[t], floats[t]);
            DevicePlan.Grid g = grids[t];
            WorkerGrid3D worker = new WorkerGrid3D(g.gx(), g.gy(), g.gz());
            worker.setLocalWork(g.lx(), g.ly(), 1);
            scheduler.addWorkerGrid(name + ".t" + t, worker);
        }
        return graph;
    }
}
