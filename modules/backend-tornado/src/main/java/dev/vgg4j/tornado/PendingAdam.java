package dev.vgg4j.tornado;

import dev.vgg4j.tornado.kernels.OptimizerKernels;
import dev.vgg4j.tornado.kernels.OptimizerKernels.AdamArgs;
import dev.vgg4j.tornado.kernels.OptimizerKernels.AdamHyper;
import dev.vgg4j.tornado.kernels.Params;
import java.util.Arrays;

/**
 * Adam updates waiting to go out together as one launch of {@link OptimizerKernels#adam}: the
 * tensors laid out as {@link AdamArgs} names them, and the shared hyper-parameters. An optimizer
 * step calls Adam once per parameter tensor with the same values, so a step's 58 tensors (vgg16_bn)
 * take 5 launches instead of 58.
 */
final class PendingAdam {
    private final int[] ints = new int[AdamArgs.FIRST_TENSOR + AdamArgs.TENSOR_WIDTH * OptimizerKernels.ADAM_TENSORS];
    private AdamHyper hyper;
    private int tensors;

    boolean isEmpty() {
        return tensors == 0;
    }

    /** Whether an update with these settings can join the pending ones (room left, same hyper-parameters). */
    boolean accepts(int size, boolean decoupled, AdamHyper hyperParameters) {
        return tensors == 0 || (tensors < OptimizerKernels.ADAM_TENSORS && (ints[AdamArgs.DECOUPLED] == 1) == decoupled
                && hyper.equals(hyperParameters) && (long) ints[AdamArgs.COUNT] + size <= Integer.MAX_VALUE - Params.GROUP);
    }

    void add(int param, int grad, int m, int v, int size, boolean decoupled, AdamHyper hyperParameters) {
        if (tensors == 0) {
            ints[AdamArgs.COUNT] = 0;
            ints[AdamArgs.DECOUPLED] = decoupled ? 1 : 0;
            hyper = hyperParameters;
        }
        int at = AdamArgs.FIRST_TENSOR + AdamArgs.TENSOR_WIDTH * tensors;
        ints[at + AdamArgs.PARAM] = param;
        ints[at + AdamArgs.GRAD] = grad;
        ints[at + AdamArgs.M] = m;
        ints[at + AdamArgs.V] = v;
        ints[at + AdamArgs.FIRST_ELEMENT] = ints[AdamArgs.COUNT];
        ints[AdamArgs.COUNT] += size;
        tensors++;
        ints[AdamArgs.TENSORS] = tensors;
    }

    /** The launch of the pending tensors (header and those tensors only); the batch is then empty. */
    AdamArgs take() {
        AdamArgs args = new AdamArgs(Arrays.copyOf(ints, AdamArgs.FIRST_TENSOR + AdamArgs.TENSOR_WIDTH * tensors), hyper);
        tensors = 0;
        return args;
    }
}
