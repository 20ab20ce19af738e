package dev.vgg4j.tornado;

import dev.vgg4j.spi.AbstractBackend;
import dev.vgg4j.spi.Conv2dSpec;
import dev.vgg4j.spi.Precision;
import dev.vgg4j.tornado.kernels.HalfKernels.CastArgs;

/**
 * {@link Precision#FP16} on the tornado backend: {@code torch.autocast(float16)}'s numerics for the
 * GEMM-based ops. Their inputs (activations, weights, output gradients) are rounded to half, the
 * device's float32 GEMM and convolutions accumulate the products (a product of two halves is exact
 * in float32, so this is what a half-input, float-accumulate tensor-core GEMM computes, up to the
 * order of the sum), and their outputs are rounded to half. Batch norm, pooling, dropout, the loss,
 * the weights themselves and the optimizer stay float32, as under autocast.
 *
 * <p>The halves are stored as floats: TornadoVM 5.2's {@code HalfFloat} does not compile on an
 * OpenCL device without {@code cl_khr_fp16} (PoCL), and two halves cannot be packed into the float
 * heap because it cannot compile arithmetic on {@code Float.floatToRawIntBits}. So this gives
 * float16's rounding, not its memory traffic; the rounding launches cost time.
 */
final class Autocast {
    private final AbstractBackend<DeviceTensor> backend;
    private final LaunchQueue queue;
    private final DeviceGemm gemm;
    private final DeviceConvolution convolution;
    /** The half copies of an op's inputs: two activation-sized ones and the weight. */
    private final ScratchBuffer first;
    private final ScratchBuffer second;
    private final ScratchBuffer weight;

    Autocast(AbstractBackend<DeviceTensor> backend, LaunchQueue queue, DeviceGemm gemm, DeviceConvolution convolution,
             ScratchBuffer first, ScratchBuffer second, ScratchBuffer weight) {
        this.backend = backend;
        this.queue = queue;
        this.gemm = gemm;
        this.convolution = convolution;
        this.first = first;
        this.second = second;
        this.weight = weight;
    }

    /** C [M, N] = half(alpha * half(op(A)) * half(op(B)) + beta * C). */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, DeviceTensor a, DeviceTensor b,
              float beta, DeviceTensor c) {
        gemm.plain(transA, transB, m, n, k, alpha, half(a, first).offset(), half(b, second).offset(), beta, c.offset());
        roundInPlace(c);
    }

    /** output [N, F, OH, OW] = half(conv(half(input [N, C, H, W]), half(weight [F, C, KH, KW])) + bias [F]). */
    void convForward(DeviceTensor input, DeviceTensor w, int bias, Conv2dSpec spec, DeviceTensor output) {
        convolution.forward(half(input, first), half(w, weight), bias, spec, output);
        roundInPlace(output);
    }

    /** gradInput [N, C, H, W] = half(conv backward of half(gradOutput [N, F, OH, OW]), half(weight)). */
    void convBackwardInput(DeviceTensor gradOutput, DeviceTensor w, Conv2dSpec spec, DeviceTensor gradInput) {
        convolution.backwardInput(half(gradOutput, first), half(w, weight), spec, gradInput);
        roundInPlace(gradInput);
    }

    /** gradWeight [F, C, KH, KW] = half(half(input) (x) half(gradOutput)), as a float16 weight's gradient. */
    void convBackwardWeight(DeviceTensor input, DeviceTensor gradOutput, Conv2dSpec spec, DeviceTensor gradWeight) {
        convolution.backwardWeight(half(input, first), half(gradOutput, second), spec, gradWeight);
        roundInPlace(gradWeight);
    }

    /** Forgets the scratch buffers (the backend frees them with everything else it handed out). */
    void forget() {
        first.forget();
        second.forget();
        weight.forget();
    }

    /** {@code t}'s values rounded to half, in {@code scratch} (valid until its next use), with t's shape. */
    private DeviceTensor half(DeviceTensor t, ScratchBuffer scratch) {
        int at = scratch.offset(t.size());
        queue.elementwise(DeviceKernel.ROUND_TO_HALF, new CastArgs(t.size(), t.offset(), at));
        return new DeviceTensor(backend, t.shape(), at, null);
    }

    private void roundInPlace(DeviceTensor t) {
        queue.elementwise(DeviceKernel.ROUND_TO_HALF, new CastArgs(t.size(), t.offset(), t.offset()));
    }
}
