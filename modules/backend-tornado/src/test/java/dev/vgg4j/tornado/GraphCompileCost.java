package dev.vgg4j.tornado;

import dev.vgg4j.tornado.kernels.Params;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.WorkerGrid3D;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * What recording a step as one multi-task graph would cost, before building it: a fresh execution
 * plan with one graph of {@code tasks} tasks of one kernel (each task its own parameter arrays over
 * one small heap, parameters that make the kernel do no work), timed at its first execute (TornadoVM
 * compiles every task of a new graph: its code cache is per plan and per task id) and at later
 * executes (one replay of all tasks), optionally with {@code withCUDAGraph()} (PTX only). The same
 * kernel launched as one single-task graph per op is the comparison: {@code tasks} executes.
 *
 * <pre>java @argfile -cp ... dev.vgg4j.tornado.GraphCompileCost [tasks=1,8,32] [kernels=copy,gemm] [cudaGraph=false] [device=0:0]</pre>
 */
public final class GraphCompileCost {
    private static final int REPLAYS = 20;

    private GraphCompileCost() {}

    public static void main(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (String a : args) {
            String[] kv = a.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("GraphCompileCost: expected key=value arguments, got '" + a + "'");
            }
            opts.put(kv[0], kv[1]);
        }
        int[] taskCounts = Arrays.stream(opts.getOrDefault("tasks", "1,8,32").split(",")).mapToInt(Integer::parseInt).toArray();
        boolean cudaGraph = Boolean.parseBoolean(opts.getOrDefault("cudaGraph", "false"));
        String[] spec = opts.getOrDefault("device", System.getProperty("vgg4j.tornado.device", "0:0")).split(":");
        TornadoDevice device = TornadoExecutionPlan.getDevice(Integer.parseInt(spec[0]), Integer.parseInt(spec[1]));
        System.out.println("device: " + device.getDeviceName() + " (" + device.getTornadoVMBackend() + "), CUDA graph: " + cudaGraph);
        for (String kernel : opts.getOrDefault("kernels", "copy,gemm").split(",")) {
            DeviceKernel k = DeviceKernel.valueOf(kernel.trim().toUpperCase(java.util.Locale.ROOT));
            for (int tasks : taskCounts) {
                measure(device, k, tasks, cudaGraph);
            }
        }
    }

    private static void measure(TornadoDevice device, DeviceKernel kernel, int tasks, boolean cudaGraph) {
        FloatArray heap = new FloatArray(1 << 16);
        String name = "cost_" + kernel.name().toLowerCase() + "_" + tasks;
        TaskGraph graph = new TaskGraph(name).transferToDevice(DataTransferMode.FIRST_EXECUTION, heap);
        GridScheduler grids = new GridScheduler();
        for (int t = 0; t < tasks; t++) {
            // All zero: no elements, M = N = K = 0; the GEMM still needs its 16 x 8 work-group.
            IntArray ints = new IntArray(Params.INTS);
            FloatArray floats = new FloatArray(Params.FLOATS);
            graph.transferToDevice(DataTransferMode.EVERY_EXECUTION, ints, floats);
            kernel.task(graph, "t" + t, heap, ints, floats);
            WorkerGrid3D grid = new WorkerGrid3D(Params.TILE, Params.GEMM_GROUP_Y, 1);
            grid.setLocalWork(Params.TILE, Params.GEMM_GROUP_Y, 1);
            grids.addWorkerGrid(name + ".t" + t, grid);
        }
        graph.persistOnDevice(heap);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(device).withGridScheduler(grids);
            if (cudaGraph) {
                plan.withCUDAGraph();
            }
            long start = System.nanoTime();
            plan.execute();
            double first = (System.nanoTime() - start) * 1e-6;
            start = System.nanoTime();
            for (int r = 0; r < REPLAYS; r++) {
                plan.execute();
            }
            double replay = (System.nanoTime() - start) * 1e-6 / REPLAYS;
            System.out.printf("%-6s %4d tasks: first execute (compile) %9.1f ms = %7.1f ms/task; replay %7.3f ms = %6.3f ms/task%n",
                    kernel.name().toLowerCase(), tasks, first, first / tasks, replay, replay / tasks);
        } catch (Exception e) {
            throw new IllegalStateException("GraphCompileCost: " + name + " failed", e);
        }
    }
}
