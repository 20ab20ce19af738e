package dev.vgg4j.backend.cpu;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.AdamParams;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.Conv2dSpec;
import dev.vgg4j.spi.HeapBackend;
import dev.vgg4j.spi.HeapTensor;
import dev.vgg4j.spi.Reduction;
import dev.vgg4j.spi.SgdParams;
import java.util.Arrays;

/**
 * The {@code cpu} backend: tensors are {@code float[]} on the Java heap ({@link HeapTensor}), every
 * kernel runs on {@code jdk.incubator.vector} with {@code SPECIES_PREFERRED}, and the heavy ones
 * (GEMM, convolution, batch norm, pooling) split over one {@link WorkerPool} created here. Ops run
 * synchronously on the calling thread plus the pool; memory and copies are {@link HeapBackend}'s.
 */
public final class CpuBackend extends HeapBackend {
    private final WorkerPool pool;
    private final PackedGemm gemm;
    private final ConvolutionChoice convolutionChoice;
    private final ConvolutionAlgorithm im2col;
    private final WinogradConvolution winograd;
    /** Winograd F(4x4), shared by the layers' {@link WinogradConvolution} and the fused ReLU forward. */
    private final Winograd4x4 fourByFour;
    private final BatchNorm batchNorm;
    private final Activations activations;
    private final MaxPool maxPool;
    private final AdaptiveAvgPool adaptiveAvgPool;

    public CpuBackend(BackendOptions options) {
        this.pool = new WorkerPool(options.resolvedThreads());
        this.gemm = new PackedGemm(pool);
        Workspace workspace = new Workspace();
        this.convolutionChoice = ConvolutionChoice.of(options);
        this.im2col = new Im2colConvolution(gemm, pool, workspace);
        this.fourByFour = new Winograd4x4(gemm, pool);
        this.winograd = new WinogradConvolution(gemm, pool, workspace, fourByFour);
        this.batchNorm = new BatchNorm(pool);
        this.activations = new Activations(pool);
        this.maxPool = new MaxPool(pool);
        this.adaptiveAvgPool = new AdaptiveAvgPool(pool);
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String deviceDescription() {
        int lanes = MicroKernel.VL;
        return pool.threads() + (pool.threads() == 1 ? " thread, " : " threads, ") + lanes * 32 + "-bit vectors ("
                + lanes + " floats), GEMM micro-kernel " + MicroKernel.MR + "x" + MicroKernel.NR
                + ", convolution " + convolutionChoice.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public int threads() {
        return pool.threads();
    }

    /**
     * The tensor's array. The kernels take whole arrays from index 0: a HeapTensor is allocated at
     * offset 0 and its reshape views share the base's offset, so this holds for every tensor today;
     * the check stops a future slicing view from being computed on silently at the wrong place.
     */
    private static float[] data(HeapTensor t) {
        if (t.offset() != 0) {
            throw new IllegalStateException("cpu backend expects unsliced heap tensors, got offset " + t.offset());
        }
        return t.data();
    }

    @Override
    protected void doClose() {
        pool.close();
        gemm.close();
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    protected void doAxpy(float alpha, HeapTensor x, HeapTensor y) {
        Elementwise.axpy(alpha, data(x), 0, data(y), 0, x.size());
    }

    @Override
    protected void doScale(HeapTensor t, float alpha) {
        Elementwise.scaleShift(data(t), 0, t.size(), alpha, 0f);
    }

    @Override
    protected void doSum(HeapTensor t, HeapTensor out) {
        data(out)[0] = (float) Elementwise.sum(data(t), 0, t.size());
    }

    // ---------------------------------------------------------------- gemm, linear

    @Override
    protected void doGemm(boolean transA, boolean transB, int m, int n, int k, float alpha, HeapTensor a,
                          HeapTensor b, float beta, HeapTensor c) {
        gemm.multiply(transA, transB, m, n, k, alpha, data(a), 0, data(b), 0, beta, data(c), 0);
    }

    @Override
    protected void doColumnSums(HeapTensor g, HeapTensor out) {
        int cols = out.size();
        float[] o = data(out);
        Arrays.fill(o, 0, cols, 0f);
        for (int row = 0; row < g.shape().rows(); row++) {
            Elementwise.axpy(1f, data(g), row * cols, o, 0, cols);
        }
    }

    // ---------------------------------------------------------------- convolution

    private ConvolutionAlgorithm convolution(Shape input, Shape weight, Conv2dSpec spec) {
        return convolutionChoice.pick(input, weight, spec, im2col, winograd);
    }

    @Override
    protected void doConv2dForward(HeapTensor input, HeapTensor weight, HeapTensor bias, Conv2dSpec spec,
                                   HeapTensor output) {
        convolution(input.shape(), weight.shape(), spec).forward(data(input), input.shape(), data(weight),
                weight.shape(), bias == null ? null : data(bias), spec, data(output));
    }

    /**
     * The inference path's convolution: where the layer's choice is Winograd, F(4x4, 3x3) with bias
     * and ReLU in its output transform where it saves multiplies over F(2x2)
     * ({@link Winograd4x4#supports}), else F(2x2) then the ReLU; both keep the filters' transform
     * while the weights do not change. Elsewhere the layer's algorithm, then the ReLU.
     */
    @Override
    protected void doConv2dReluForward(HeapTensor input, HeapTensor weight, HeapTensor bias, Conv2dSpec spec,
                                       HeapTensor output) {
        if (convolution(input.shape(), weight.shape(), spec) != winograd) {
            super.doConv2dReluForward(input, weight, bias, spec, output);
        } else if (Winograd4x4.supports(input.shape(), weight.shape(), spec)) {
            fourByFour.inferenceForward(data(input), input.shape(), data(weight), weight.shape(),
                    bias == null ? null : data(bias), data(output));
        } else {
            winograd.inferenceForwardTwoByTwo(data(input), input.shape(), data(weight), weight.shape(),
                    bias == null ? null : data(bias), data(output));
            doReluForward(output, output);
        }
    }

    @Override
    protected void doConv2dBackwardInput(HeapTensor gradOutput, HeapTensor weight, Conv2dSpec spec,
                                         HeapTensor gradInput) {
        convolution(gradInput.shape(), weight.shape(), spec).backwardInput(data(gradOutput), data(weight),
                weight.shape(), spec, data(gradInput), gradInput.shape());
    }

    @Override
    protected void doConv2dBackwardWeight(HeapTensor input, HeapTensor gradOutput, Conv2dSpec spec,
                                          HeapTensor gradWeight, HeapTensor gradBias) {
        convolution(input.shape(), gradWeight.shape(), spec).backwardWeight(data(input), input.shape(),
                data(gradOutput), spec, data(gradWeight), gradWeight.shape(),
                gradBias == null ? null : data(gradBias));
    }

    // ---------------------------------------------------------------- batch norm

    @Override
    protected void doBatchNormTrainForward(HeapTensor x, HeapTensor gamma, HeapTensor beta, HeapTensor runningMean,
                                           HeapTensor runningVar, float momentum, float eps, HeapTensor y,
                                           HeapTensor saveMean, HeapTensor saveInvStd) {
        Shape s = x.shape();
        batchNorm.trainForward(data(x), s.n(), s.c(), s.h() * s.w(), data(gamma), data(beta), data(runningMean),
                data(runningVar), momentum, eps, data(y), data(saveMean), data(saveInvStd));
    }

    @Override
    protected void doBatchNormInferenceForward(HeapTensor x, HeapTensor gamma, HeapTensor beta,
                                               HeapTensor runningMean, HeapTensor runningVar, float eps,
                                               HeapTensor y) {
        Shape s = x.shape();
        batchNorm.inferenceForward(data(x), s.n(), s.c(), s.h() * s.w(), data(gamma), data(beta),
                data(runningMean), data(runningVar), eps, data(y));
    }

    @Override
    protected void doBatchNormBackward(HeapTensor x, HeapTensor gradY, HeapTensor gamma, HeapTensor saveMean,
                                       HeapTensor saveInvStd, HeapTensor gradX, HeapTensor gradGamma,
                                       HeapTensor gradBeta) {
        Shape s = x.shape();
        batchNorm.backward(data(x), data(gradY), s.n(), s.c(), s.h() * s.w(), data(gamma), data(saveMean),
                data(saveInvStd), data(gradX), data(gradGamma), data(gradBeta));
    }

    // ---------------------------------------------------------------- relu, pool, dropout

    @Override
    protected void doReluForward(HeapTensor x, HeapTensor y) {
        activations.reluForward(data(x), data(y), x.size());
    }

    @Override
    protected void doReluBackward(HeapTensor y, HeapTensor gradY, HeapTensor gradX) {
        activations.reluBackward(data(y), data(gradY), data(gradX), y.size());
    }

    @Override
    protected void doMaxPool2dForward(HeapTensor x, HeapTensor y, HeapTensor argmax) {
        Shape s = x.shape();
        maxPool.forward(data(x), s.n() * s.c(), s.h(), s.w(), data(y), data(argmax));
    }

    @Override
    protected void doMaxPool2dBackward(HeapTensor gradY, HeapTensor argmax, HeapTensor gradX) {
        Shape s = gradX.shape();
        maxPool.backward(data(gradY), data(argmax), s.n() * s.c(), s.h(), s.w(), data(gradX));
    }

    @Override
    protected void doAdaptiveAvgPool2dForward(HeapTensor x, HeapTensor y) {
        Shape s = x.shape();
        adaptiveAvgPool.forward(data(x), s.n() * s.c(), s.h(), s.w(), data(y), y.shape().h(), y.shape().w());
    }

    @Override
    protected void doAdaptiveAvgPool2dBackward(HeapTensor gradY, HeapTensor gradX) {
        Shape s = gradX.shape();
        adaptiveAvgPool.backward(data(gradY), s.n() * s.c(), gradY.shape().h(), gradY.shape().w(), data(gradX),
                s.h(), s.w());
    }

    @Override
    protected void doDropoutForward(HeapTensor x, float p, long seed, HeapTensor y, HeapTensor mask) {
        activations.dropoutForward(data(x), p, seed, data(y), data(mask), x.size());
    }

    @Override
    protected void doDropoutBackward(HeapTensor gradY, HeapTensor mask, HeapTensor gradX) {
        activations.dropoutBackward(data(gradY), data(mask), data(gradX), gradY.size());
    }

    // ---------------------------------------------------------------- loss, optimizers

    @Override
    protected void doSoftmaxCrossEntropy(HeapTensor logits, HeapTensor labels, Reduction reduction,
                                         HeapTensor result, HeapTensor gradLogits) {
        SoftmaxCrossEntropy.compute(data(logits), data(labels), logits.shape().rows(), logits.shape().cols(),
                reduction, data(result), gradLogits == null ? null : data(gradLogits));
    }

    @Override
    protected void doAdamStep(HeapTensor param, HeapTensor grad, HeapTensor m, HeapTensor v, AdamParams params,
                              int step) {
        float[] p = data(param);
        float[] g = data(grad);
        float[] mean = data(m);
        float[] variance = data(v);
        pool.parallelRanges(param.size(),
                (from, to) -> Optimizers.adam(p, g, mean, variance, from, to, params, step));
    }

    @Override
    protected void doSgdStep(HeapTensor param, HeapTensor grad, HeapTensor momentumBuffer, SgdParams params,
                             boolean firstStep) {
        Optimizers.sgd(data(param), data(grad), momentumBuffer == null ? null : data(momentumBuffer), param.size(),
                params, firstStep);
    }
}
