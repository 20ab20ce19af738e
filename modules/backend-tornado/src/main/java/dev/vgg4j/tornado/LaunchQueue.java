package dev.vgg4j.tornado;

import dev.vgg4j.tornado.kernels.GemmArgs;
import dev.vgg4j.tornado.kernels.LaunchArgs;
import dev.vgg4j.tornado.kernels.OptimizerKernels;
import dev.vgg4j.tornado.kernels.OptimizerKernels.AdamHyper;
import dev.vgg4j.tornado.kernels.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Where every compute launch of a device plan goes: each op's kernel, parameters and grid, with two
 * launches held back so that they can be merged with others.
 *
 * <ul>
 *   <li>Adam in batches ({@link PendingAdam}): a launch costs ~0.2 ms on the H100 whatever it does,
 *       so Adam updates wait and go out as one launch for up to {@link OptimizerKernels#ADAM_TENSORS}
 *       tensors with the same hyper-parameters.</li>
 *   <li>One elementwise launch held back ({@link #deferElementwise}) that the next op may fold into
 *       its own kernel ({@link #takeDeferred}): a batch norm's normalize with the ReLU after it, a
 *       ReLU backward with the batch norm backward's sums.</li>
 * </ul>
 * Anything else (every other launch, transfer, {@code synchronize} and {@code close}) launches what
 * is held back first, so the device sees the ops in the order they were issued.
 *
 * <p>Recording ({@link #capture}): the launches of a captured step are collected instead of run; the
 * first time a key is seen they then run one by one and are recorded as a {@link RecordedStep}; later
 * steps with the same kernels and grids write their parameters into it and replay it with one
 * {@code execute()} per {@link RecordedStep#TASKS_PER_GRAPH} launches. Results are bit for bit those of the launches one by one: the same kernels
 * with the same parameters in the same order.
 */
final class LaunchQueue {
    private final DevicePlan plan;
    private final PendingAdam pendingAdam = new PendingAdam();
    /** The held-back elementwise launch, or null. */
    private Held held;

    /** A held-back elementwise launch. */
    private record Held(DeviceKernel kernel, LaunchArgs.Elementwise args) {}

    /** A step recorded under a key, and its first graph's index in the plan. */
    private record Recorded(RecordedStep step, int firstGraph) {}

    private final java.util.Map<String, Recorded> recordings = new java.util.HashMap<>();
    /** The launches of the step being captured, or null when not capturing. */
    private List<Launch> collected;

    LaunchQueue(DevicePlan plan) {
        this.plan = plan;
    }

    /**
     * Runs {@code step} with its launches recorded under {@code key} (see the class comment). A
     * transfer or synchronize inside the step ends the capture: what was collected runs, and the rest
     * of the step runs launch by launch.
     */
    synchronized void capture(String key, Runnable step) {
        if (collected != null) {
            step.run();
            return;
        }
        launchHeld();
        List<Launch> launches = new ArrayList<>();
        collected = launches;
        try {
            step.run();
        } catch (RuntimeException | Error e) {
            if (collected == launches) {
                // What the step issued before it failed runs, as it would have without the capture.
                collected = null;
                launches.forEach(this::run);
            }
            throw e;
        }
        if (collected != launches) {
            return; // a flush inside the step ended the capture
        }
        launchHeld(); // the step's held-back launches (its last Adam updates) belong to it
        collected = null;
        finishCapture(key, launches);
    }

    private void finishCapture(String key, List<Launch> launches) {
        Recorded recorded = recordings.get(key);
        if (recorded != null && recorded.step().matches(launches)) {
            recorded.step().write(launches);
            plan.replay(recorded.firstGraph(), recorded.step());
            return;
        }
        launches.forEach(this::run);
        if (recorded == null && !launches.isEmpty()) {
            RecordedStep step = new RecordedStep("vgg4j_step_" + recordings.size(), launches);
            recordings.put(key, new Recorded(step, plan.declareRecording(step)));
        }
    }

    /** One work-item per element; nothing happens for no elements. */
    synchronized void elementwise(DeviceKernel kernel, LaunchArgs.Elementwise args) {
        if (args.count() > 0) {
            launch(kernel, plan.name(kernel), args, DevicePlan.Grid.elementwise(args.count()));
        }
    }

    /**
     * Holds back an elementwise launch whose output the next op may consume in its own kernel (see
     * {@link #takeDeferred}).
     */
    synchronized void deferElementwise(DeviceKernel kernel, LaunchArgs.Elementwise args) {
        launchHeld();
        if (args.count() > 0) {
            held = new Held(kernel, args);
        }
    }

    /**
     * The held-back launch's parameters, handed over to the caller (who launches a kernel that does
     * its work too), if it is {@code kernel} and {@code matches} them; otherwise everything pending
     * is launched and the answer is null.
     */
    synchronized <A extends LaunchArgs.Elementwise> A takeDeferred(DeviceKernel kernel, Class<A> type, Predicate<A> matches) {
        if (held != null && held.kernel() == kernel && type.isInstance(held.args()) && matches.test(type.cast(held.args()))) {
            A args = type.cast(held.args());
            held = null;
            return args;
        }
        launchHeld();
        return null;
    }

    /** {@code groups} work-groups of {@link Params#GROUP} work-items, one per channel; nothing for no groups. */
    synchronized void perGroup(DeviceKernel kernel, int groups, LaunchArgs args) {
        if (groups > 0) {
            launch(kernel, plan.name(kernel), args, DevicePlan.Grid.perGroup(groups));
        }
    }

    /**
     * The GEMM grid: a TILE x GEMM_GROUP_Y work-group per GEMM_ROWS x GEMM_COLS block of C, z over the batch
     * (or K slices). Profiled per shape (M x N x K, batch or K slices), which says which layer's GEMM is slow.
     */
    synchronized void gemm(GemmArgs args, int batch) {
        int gx = (args.n() + Params.GEMM_COLS - 1) / Params.GEMM_COLS * Params.TILE;
        int gy = (args.m() + Params.GEMM_ROWS - 1) / Params.GEMM_ROWS * Params.GEMM_GROUP_Y;
        String label = plan.name(DeviceKernel.GEMM) + " " + args.m() + "x" + args.n() + "x" + args.k()
                + (batch > 1 ? " z" + batch : "");
        launch(DeviceKernel.GEMM, label, args, new DevicePlan.Grid(gx, gy, batch, Params.TILE, Params.GEMM_GROUP_Y));
    }

    /**
     * Adam for one tensor, deferred: consecutive updates with the same hyper-parameters go out as one
     * launch (see {@link OptimizerKernels#adam}) before anything else touches the device.
     */
    synchronized void adam(int param, int grad, int m, int v, int size, boolean decoupled, AdamHyper hyper) {
        if (held != null || !pendingAdam.accepts(size, decoupled, hyper)) {
            launchHeld();
        }
        pendingAdam.add(param, grad, m, v, size, decoupled, hyper);
    }

    /**
     * Launches whatever is held back, so that the device has done every op issued so far (before a
     * transfer, synchronize or close). Inside a capture this ends it: the step's launches so far run.
     */
    synchronized void flush() {
        launchHeld();
        if (collected != null) {
            List<Launch> launches = collected;
            collected = null;
            launches.forEach(this::run);
        }
    }

    private void launchHeld() {
        if (held != null) {
            Held h = held;
            held = null;
            elementwise(h.kernel(), h.args());
        }
        if (!pendingAdam.isEmpty()) {
            OptimizerKernels.AdamArgs adam = pendingAdam.take();
            launch(DeviceKernel.ADAM, plan.name(DeviceKernel.ADAM), adam, DevicePlan.Grid.elementwise(adam.count()));
        }
    }

    private void launch(DeviceKernel kernel, String label, LaunchArgs args, DevicePlan.Grid grid) {
        launchHeld();
        Launch launch = new Launch(kernel, label, args, grid);
        if (collected != null) {
            collected.add(launch);
        } else {
            run(launch);
        }
    }

    private void run(Launch launch) {
        plan.run(launch.kernel(), launch.label(), launch.args(), launch.grid());
    }
}
