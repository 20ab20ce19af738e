package dev.vgg4j.tornado;

import dev.vgg4j.tornado.kernels.BatchNormKernels;
import dev.vgg4j.tornado.kernels.ElementwiseKernels;
import dev.vgg4j.tornado.kernels.GemmKernel;
import dev.vgg4j.tornado.kernels.HalfKernels;
import dev.vgg4j.tornado.kernels.LossKernels;
import dev.vgg4j.tornado.kernels.LossScalingKernels;
import dev.vgg4j.tornado.kernels.OptimizerKernels;
import dev.vgg4j.tornado.kernels.PoolKernels;
import dev.vgg4j.tornado.kernels.ReductionKernels;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.Task4;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Every compute kernel of the backend; each becomes one task graph of the {@link DevicePlan}, with
 * the same signature {@code (context, heap, ints, floats)}.
 */
enum DeviceKernel {
    FILL(ElementwiseKernels::fill),
    COPY(ElementwiseKernels::copy),
    AXPBY(ElementwiseKernels::axpby),
    MULTIPLY(ElementwiseKernels::multiply),
    CHANNEL_BROADCAST(ElementwiseKernels::channelBroadcast),
    RELU_FORWARD(ElementwiseKernels::reluForward),
    RELU_BACKWARD(ElementwiseKernels::reluBackward),
    DROPOUT_FORWARD(ElementwiseKernels::dropoutForward),
    GEMM(GemmKernel::gemm),
    SUM_SLICES(GemmKernel::sumSlices),
    CHANNEL_SUMS(ReductionKernels::channelSums),
    BATCH_NORM_STATS(ReductionKernels::batchNormStats),
    BATCH_NORM_BACKWARD_SUMS(ReductionKernels::batchNormBackwardSums),
    BATCH_NORM_NORMALIZE(BatchNormKernels::batchNormApply),
    BATCH_NORM_BACKWARD_INPUT(BatchNormKernels::backwardInput),
    MAX_POOL_FORWARD(PoolKernels::maxPoolForward),
    MAX_POOL_BACKWARD(PoolKernels::maxPoolBackward),
    ADAPTIVE_AVG_POOL_FORWARD(PoolKernels::adaptiveAvgPoolForward),
    ADAPTIVE_AVG_POOL_BACKWARD(PoolKernels::adaptiveAvgPoolBackward),
    SOFTMAX_CROSS_ENTROPY(LossKernels::softmaxCrossEntropy),
    ADAM(OptimizerKernels::adam),
    SGD(OptimizerKernels::sgd),
    UNSCALE_AND_CHECK_FINITE(LossScalingKernels::unscaleAndCheckFinite),
    ROUND_TO_HALF(HalfKernels::roundToHalf);

    private final Task4<KernelContext, FloatArray, IntArray, FloatArray> code;

    DeviceKernel(Task4<KernelContext, FloatArray, IntArray, FloatArray> code) {
        this.code = code;
    }

    /** Adds this kernel to {@code graph} as task {@code id} over the heap and its parameter arrays. */
    TaskGraph task(TaskGraph graph, String id, FloatArray heap, IntArray ints, FloatArray floats) {
        return graph.task(id, code, new KernelContext(), heap, ints, floats);
    }
}
