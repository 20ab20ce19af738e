package dev.vgg4j.tornado;

import dev.vgg4j.tornado.kernels.GemmArgs;
import dev.vgg4j.tornado.kernels.LaunchArgs;
import dev.vgg4j.tornado.kernels.OptimizerKernels;
import dev.vgg4j.tornado.kernels.OptimizerKernels.AdamHyper;
import dev.vgg4j.tornado.kernels.Params;
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
 */
final class LaunchQueue {
    private final DevicePlan plan;
    private final PendingAdam pendingAdam = new PendingAdam();
    /** The held-back elementwise launch, or null. */
    private Held held;

    /** A held-back elementwise launch. */
    private record Held(DeviceKernel kernel, LaunchArgs.Elementwise args) {}

    LaunchQueue(DevicePlan plan) {
        this.plan = plan;
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
        flush();
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
        flush();
        return null;
    }

    /** {@code groups} work-groups of {@link Params#GROUP} work-items, one per channel; nothing for no groups. */
    synchronized void perGroup(DeviceKernel kernel, int groups, LaunchArgs args) {
        if (groups > 0) {
            launch(kernel, plan.name(kernel), args, DevicePlan.Grid.perGroup(groups));
        }
    }

    /**
     * The GEMM grid: a TILE x TILE work-group per GEMM_ROWS x GEMM_COLS block of C, z over the batch
     * (or K slices). Profiled per shape (M x N x K, batch or K slices), which says which layer's GEMM is slow.
     */
    synchronized void gemm(GemmArgs args, int batch) {
        int gx = (args.n() + Params.GEMM_COLS - 1) / Params.GEMM_COLS * Params.TILE;
        int gy = (args.m() + Params.GEMM_ROWS - 1) / Params.GEMM_ROWS * Params.TILE;
        String label = plan.name(DeviceKernel.GEMM) + " " + args.m() + "x" + args.n() + "x" + args.k()
                + (batch > 1 ? " z" + batch : "");
        launch(DeviceKernel.GEMM, label, args, new DevicePlan.Grid(gx, gy, batch, Params.TILE, Params.TILE));
    }

    /**
     * Adam for one tensor, deferred: consecutive updates with the same hyper-parameters go out as one
     * launch (see {@link OptimizerKernels#adam}) before anything else touches the device.
     */
    synchronized void adam(int param, int grad, int m, int v, int size, boolean decoupled, AdamHyper hyper) {
        if (held != null || !pendingAdam.accepts(size, decoupled, hyper)) {
            flush();
        }
        pendingAdam.add(param, grad, m, v, size, decoupled, hyper);
    }

    /** Launches whatever is held back. */
    synchronized void flush() {
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
        flush();
        plan.run(kernel, label, args, grid);
    }
}
