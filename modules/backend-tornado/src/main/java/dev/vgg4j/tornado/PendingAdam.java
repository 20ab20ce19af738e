package dev.vgg4j.tornado;

import dev.vgg4j.tornado.kernels.OptimizerKernels;
import dev.vgg4j.tornado.kernels.Params;
import java.util.Arrays;

/**
 * Adam updates waiting to go out together: the launch parameters of {@link OptimizerKernels#adam}
 * (header n, tensors, decoupled; then param, grad, m, v, first element per tensor) and the shared
 * hyper-parameters. An optimizer step calls Adam once per parameter tensor with the same values, so
 * a step's 58 tensors (vgg16_bn) take 5 launches instead of 58.
 */
final class PendingAdam {
    private final int[] ints = new int[3 + 5 * OptimizerKernels.ADAM_TENSORS];
    private float[] hyper;
    private int tensors;

    boolean isEmpty() {
        return tensors == 0;
    }

    /** Whether an update with these settings can join the pending ones (room left, same hyper-parameters). */
    boolean accepts(int size, boolean decoupled, float[] hyperParameters) {
        return tensors == 0 || (tensors < OptimizerKernels.ADAM_TENSORS && (ints[2] == 1) == decoupled
                && Arrays.equals(hyper, hyperParameters) && (long) ints[0] + size <= Integer.MAX_VALUE - Params.GROUP);
    }

    void add(int param, int grad, int m, int v, int size, boolean decoupled, float[] hyperParameters) {
        if (tensors == 0) {
            ints[0] = 0;
            ints[2] = decoupled ? 1 : 0;
            hyper = hyperParameters.clone();
        }
        int at = 3 + 5 * tensors;
        ints[at] = param;
        ints[at + 1] = grad;
        ints[at + 2] = m;
        ints[at + 3] = v;
        ints[at + 4] = ints[0];
        ints[0] += size;
        tensors++;
        ints[1] = tensors;
    }

    /** The launch's integer parameters, header and the pending tensors only. */
    int[] ints() {
        return Arrays.copyOf(ints, 3 + 5 * tensors);
    }

    float[] floats() {
        return hyper;
    }

    void clear() {
        tensors = 0;
    }
}
