package dev.vgg4j.tornado;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.AbstractBackend;
import dev.vgg4j.spi.AdamParams;
import dev.vgg4j.spi.Conv2dSpec;
import dev.vgg4j.spi.Precision;
import dev.vgg4j.spi.Reduction;
import dev.vgg4j.spi.SgdParams;
import dev.vgg4j.tornado.kernels.BatchNormKernels.BackwardInputArgs;
import dev.vgg4j.tornado.kernels.BatchNormKernels.NormalizeArgs;
import dev.vgg4j.tornado.kernels.ElementwiseKernels.BinaryArgs;
import dev.vgg4j.tornado.kernels.ElementwiseKernels.BroadcastArgs;
import dev.vgg4j.tornado.kernels.ElementwiseKernels.DropoutArgs;
import dev.vgg4j.tornado.kernels.ElementwiseKernels.FillArgs;
import dev.vgg4j.tornado.kernels.ElementwiseKernels.UnaryArgs;
import dev.vgg4j.tornado.kernels.LossKernels.CrossEntropyArgs;
import dev.vgg4j.tornado.kernels.LossScalingKernels.UnscaleArgs;
import dev.vgg4j.tornado.kernels.OptimizerKernels.AdamHyper;
import dev.vgg4j.tornado.kernels.OptimizerKernels.SgdArgs;
import dev.vgg4j.tornado.kernels.PoolKernels.PoolArgs;
import dev.vgg4j.tornado.kernels.ReductionKernels.BackwardSumsArgs;
import dev.vgg4j.tornado.kernels.ReductionKernels.ChannelSumsArgs;
import dev.vgg4j.tornado.kernels.ReductionKernels.StatsArgs;
import java.util.List;

/**
 * The {@code tornado} backend: every op is a launch of a TornadoVM kernel on tensors that stay in
 * the device heap of a {@link DevicePlan}, issued through its {@link LaunchQueue}. GEMMs go through
 * {@link DeviceGemm}, convolutions through {@link DeviceConvolution}, host transfers through
 * {@link StagedTransfers}; the rest is here, one launch per op (or folded into a neighbour's).
 */
public final class TornadoBackend extends AbstractBackend<DeviceTensor> {
    /** Upper bound of the split-K partial sums, floats (see {@link GemmSplit}). */
    private static final long PARTIALS_FLOATS = 16L << 20;

    private final DevicePlan device;
    private final LaunchQueue queue;
    private final ScratchBuffer partials = new ScratchBuffer(shape -> (DeviceTensor) allocate(shape));
    private final DeviceGemm gemm;
    private final DeviceConvolution convolution;
    /** Whether {@link #capture} records steps (option {@code tornado.record}). */
    private final boolean record;
    private final Precision precision;
    /** The GEMM-based ops in float16, or null in float32. */
    private final Autocast autocast;

    TornadoBackend(DevicePlan device, boolean record, Precision precision) {
        super(DeviceTensor.class);
        this.device = device;
        this.record = record;
        this.precision = precision;
        this.queue = device.queue();
        // Split-K partial sums: the bound above, or 1/128 of a smaller device heap.
        this.gemm = new DeviceGemm(queue, partials, Math.min(PARTIALS_FLOATS, device.arena().capacityFloats() / 128));
        this.convolution = new DeviceConvolution(gemm);
        this.autocast = precision == Precision.FP16 ? new Autocast(this, queue, gemm, convolution, scratch(), scratch(),
                scratch()) : null;
    }

    private ScratchBuffer scratch() {
        return new ScratchBuffer(shape -> (DeviceTensor) allocate(shape));
    }

    @Override
    public String name() {
        return TornadoBackendProvider.NAME;
    }

    @Override
    public String deviceDescription() {
        return device.deviceName();
    }

    @Override
    public int threads() {
        return 1;
    }

    @Override
    public Precision precision() {
        return precision;
    }

    /** Bytes sent host to device since the device plan was built (parameters, staged tensors, the heap once). */
    public long bytesToDevice() {
        return device.bytesToDevice();
    }

    /** Bytes read back from the device since the device plan was built. */
    public long bytesToHost() {
        return device.bytesToHost();
    }

    /** Kernels run since the device plan was built (a recorded step's replay counts its tasks). */
    public long launches() {
        return device.launches();
    }

    /** TornadoVM execute() calls since the device plan was built: one per op run alone, one per replayed step. */
    public long executes() {
        return device.executes();
    }

    /**
     * With recording on (option {@code tornado.record}; by default on GPU devices only), the first
     * step of a key runs op by op and is recorded as task graphs of {@link RecordedStep#TASKS_PER_GRAPH}
     * launches, and later steps replay them with one {@code execute()} each (see {@link LaunchQueue}). A recording rebuilds the execution plan, which
     * compiles every kernel again: on PoCL that is seconds per task, so recording is off there.
     * Recordings live in the device plan, shared by every backend on the device, so the key names
     * the precision too: the same step in fp16 (with its rounding launches) never matches a float32
     * recording of its key, and would otherwise run op by op for the rest of the JVM.
     */
    @Override
    public void capture(String key, Runnable step) {
        if (record) {
            queue.capture(precision.label() + " " + key, step);
        } else {
            step.run();
        }
    }

    /**
     * Starts a fresh launch profile of the device plan (shared by every backend on the device);
     * {@code deviceTimes} adds TornadoVM's driver-measured kernel times.
     */
    public void startProfile(boolean deviceTimes) {
        device.startProfile(deviceTimes);
    }

    /** Per kernel graph (GEMMs per shape) since {@link #startProfile}: launches, host and device nanoseconds, slowest first. */
    public List<LaunchProfile.Line> profile() {
        return device.profile();
    }

    // ---------------------------------------------------------------- memory

    @Override
    protected DeviceTensor doAllocate(Shape shape) {
        return new DeviceTensor(this, shape, device.arena().allocate(shape.size()), null);
    }

    @Override
    protected void doFree(DeviceTensor tensor) {
        device.arena().free(tensor.offset(), tensor.size());
    }

    @Override
    protected void doClose() {
        queue.flush();
        partials.forget();
        if (autocast != null) {
            autocast.forget();
        }
    }

    @Override
    public void synchronize() {
        // Launches complete in order before execute() returns; only held-back launches can be pending.
        queue.flush();
    }

    @Override
    protected void doUpload(float[] src, DeviceTensor dst) {
        device.transfers().upload(src, dst.offset());
    }

    @Override
    protected void doUpload(byte[] src, float scale, float offset, DeviceTensor dst) {
        device.transfers().upload(src, scale, offset, dst.offset());
    }

    @Override
    protected void doDownload(DeviceTensor src, float[] dst) {
        device.transfers().download(src.offset(), dst, src.size());
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    protected void doFill(DeviceTensor t, float value) {
        queue.elementwise(DeviceKernel.FILL, new FillArgs(t.size(), t.offset(), value));
    }

    @Override
    protected void doCopy(DeviceTensor src, DeviceTensor dst) {
        queue.elementwise(DeviceKernel.COPY, new UnaryArgs(src.size(), src.offset(), dst.offset()));
    }

    @Override
    protected void doAxpy(float alpha, DeviceTensor x, DeviceTensor y) {
        queue.elementwise(DeviceKernel.AXPBY, new UnaryArgs(x.size(), x.offset(), y.offset(), alpha, 1f));
    }

    @Override
    protected void doScale(DeviceTensor t, float alpha) {
        queue.elementwise(DeviceKernel.AXPBY, new UnaryArgs(t.size(), t.offset(), t.offset(), alpha, 0f));
    }

    @Override
    protected void doSum(DeviceTensor t, DeviceTensor out) {
        channelSums(t, 1, 1, t.size(), out);
    }

    /** out[c] = sum over [outer, C, inner] of src, one work-group per channel. */
    private void channelSums(DeviceTensor src, int outer, int channels, int inner, DeviceTensor out) {
        queue.perGroup(DeviceKernel.CHANNEL_SUMS, channels, new ChannelSumsArgs(src.offset(), out.offset(), outer, channels, inner));
    }

    // ---------------------------------------------------------------- GEMM, convolution

    @Override
    protected void doGemm(boolean transA, boolean transB, int m, int n, int k, float alpha, DeviceTensor a,
                          DeviceTensor b, float beta, DeviceTensor c) {
        if (autocast != null) {
            autocast.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
            return;
        }
        gemm.plain(transA, transB, m, n, k, alpha, a.offset(), b.offset(), beta, c.offset());
    }

    @Override
    protected void doBroadcastRows(DeviceTensor bias, DeviceTensor y) {
        int cols = y.shape().cols();
        queue.elementwise(DeviceKernel.CHANNEL_BROADCAST, new BroadcastArgs(y.size(), bias.offset(), y.offset(), cols, 1));
    }

    @Override
    protected void doColumnSums(DeviceTensor g, DeviceTensor out) {
        channelSums(g, g.shape().rows(), g.shape().cols(), 1, out);
    }

    @Override
    protected void doConv2dForward(DeviceTensor input, DeviceTensor weight, DeviceTensor bias, Conv2dSpec spec,
                                   DeviceTensor output) {
        int biasOffset = bias != null ? bias.offset() : -1;
        if (autocast != null) {
            autocast.convForward(input, weight, biasOffset, spec, output);
            return;
        }
        convolution.forward(input, weight, biasOffset, spec, output);
    }

    @Override
    protected void doConv2dBackwardInput(DeviceTensor gradOutput, DeviceTensor weight, Conv2dSpec spec,
                                         DeviceTensor gradInput) {
        if (autocast != null) {
            autocast.convBackwardInput(gradOutput, weight, spec, gradInput);
            return;
        }
        convolution.backwardInput(gradOutput, weight, spec, gradInput);
    }

    @Override
    protected void doConv2dBackwardWeight(DeviceTensor input, DeviceTensor gradOutput, Conv2dSpec spec,
                                          DeviceTensor gradWeight, DeviceTensor gradBias) {
        if (autocast != null) {
            autocast.convBackwardWeight(input, gradOutput, spec, gradWeight);
        } else {
            convolution.backwardWeight(input, gradOutput, spec, gradWeight);
        }
        if (gradBias != null) {
            Shape s = gradOutput.shape();
            channelSums(gradOutput, s.n(), s.c(), s.h() * s.w(), gradBias);
        }
    }

    // ---------------------------------------------------------------- batch norm

    @Override
    protected void doBatchNormTrainForward(DeviceTensor x, DeviceTensor gamma, DeviceTensor beta,
                                           DeviceTensor runningMean, DeviceTensor runningVar, float momentum,
                                           float eps, DeviceTensor y, DeviceTensor saveMean, DeviceTensor saveInvStd) {
        Shape s = x.shape();
        int plane = s.h() * s.w();
        queue.perGroup(DeviceKernel.BATCH_NORM_STATS, s.c(), new StatsArgs(x.offset(), s.n(), s.c(), plane,
                saveMean.offset(), saveInvStd.offset(), runningMean.offset(), runningVar.offset(), momentum, eps));
        normalize(x, y, saveMean, saveInvStd, gamma, beta, false, eps);
    }

    @Override
    protected void doBatchNormInferenceForward(DeviceTensor x, DeviceTensor gamma, DeviceTensor beta,
                                               DeviceTensor runningMean, DeviceTensor runningVar, float eps,
                                               DeviceTensor y) {
        normalize(x, y, runningMean, runningVar, gamma, beta, true, eps);
    }

    /**
     * {@code scaleSource} is invStd, or the running variance in inference. Deferred: a ReLU on y that
     * follows joins the launch (see {@link #doReluForward}).
     */
    private void normalize(DeviceTensor x, DeviceTensor y, DeviceTensor mean, DeviceTensor scaleSource,
                           DeviceTensor gamma, DeviceTensor beta, boolean fromRunningVariance, float eps) {
        Shape s = x.shape();
        queue.deferElementwise(DeviceKernel.BATCH_NORM_NORMALIZE, new NormalizeArgs(x.size(), x.offset(), y.offset(),
                s.c(), s.h() * s.w(), mean.offset(), scaleSource.offset(), gamma.offset(), beta.offset(),
                fromRunningVariance, -1, eps));
    }

    @Override
    protected void doBatchNormBackward(DeviceTensor x, DeviceTensor gradY, DeviceTensor gamma, DeviceTensor saveMean,
                                       DeviceTensor saveInvStd, DeviceTensor gradX, DeviceTensor gradGamma,
                                       DeviceTensor gradBeta) {
        Shape s = x.shape();
        int plane = s.h() * s.w();
        // The ReLU backward that produced gradY, if still held back, runs inside the sums' kernel.
        BinaryArgs relu = queue.takeDeferred(DeviceKernel.RELU_BACKWARD, BinaryArgs.class,
                r -> r.out() == gradY.offset() && r.count() == x.size());
        queue.perGroup(DeviceKernel.BATCH_NORM_BACKWARD_SUMS, s.c(), new BackwardSumsArgs(x.offset(), gradY.offset(),
                s.n(), s.c(), plane, saveMean.offset(), saveInvStd.offset(), gradGamma.offset(), gradBeta.offset(),
                relu == null ? -1 : relu.a(), relu == null ? -1 : relu.b()));
        queue.elementwise(DeviceKernel.BATCH_NORM_BACKWARD_INPUT, new BackwardInputArgs(x.size(), x.offset(),
                gradY.offset(), gradX.offset(), s.c(), plane, gamma.offset(), saveMean.offset(), saveInvStd.offset(),
                gradGamma.offset(), gradBeta.offset(), s.n() * plane));
    }

    // ---------------------------------------------------------------- relu, pool, dropout

    /** A ReLU on a batch norm's output joins the still held-back normalize launch (VGG's BN-ReLU pairs). */
    @Override
    protected void doReluForward(DeviceTensor x, DeviceTensor y) {
        NormalizeArgs bn = queue.takeDeferred(DeviceKernel.BATCH_NORM_NORMALIZE, NormalizeArgs.class,
                n -> n.y() == x.offset() && n.count() == x.size());
        if (bn == null) {
            queue.elementwise(DeviceKernel.RELU_FORWARD, new UnaryArgs(x.size(), x.offset(), y.offset()));
            return;
        }
        queue.elementwise(DeviceKernel.BATCH_NORM_NORMALIZE, bn.withRelu(y.offset()));
    }

    /** Held back: a batch norm backward on gradX that follows does this in its sums' kernel. */
    @Override
    protected void doReluBackward(DeviceTensor y, DeviceTensor gradY, DeviceTensor gradX) {
        queue.deferElementwise(DeviceKernel.RELU_BACKWARD, new BinaryArgs(y.size(), y.offset(), gradY.offset(), gradX.offset()));
    }

    @Override
    protected void doMaxPool2dForward(DeviceTensor x, DeviceTensor y, DeviceTensor argmax) {
        Shape s = x.shape();
        queue.elementwise(DeviceKernel.MAX_POOL_FORWARD, new PoolArgs(y.size(), x.offset(), y.offset(), argmax.offset(),
                s.h(), s.w(), s.h() / 2, s.w() / 2));
    }

    @Override
    protected void doMaxPool2dBackward(DeviceTensor gradY, DeviceTensor argmax, DeviceTensor gradX) {
        Shape s = gradX.shape();
        queue.elementwise(DeviceKernel.MAX_POOL_BACKWARD, new PoolArgs(gradX.size(), gradY.offset(), gradX.offset(),
                argmax.offset(), s.h(), s.w(), s.h() / 2, s.w() / 2));
    }

    @Override
    protected void doAdaptiveAvgPool2dForward(DeviceTensor x, DeviceTensor y) {
        queue.elementwise(DeviceKernel.ADAPTIVE_AVG_POOL_FORWARD, new PoolArgs(y.size(), x.offset(), y.offset(), -1,
                x.shape().h(), x.shape().w(), y.shape().h(), y.shape().w()));
    }

    @Override
    protected void doAdaptiveAvgPool2dBackward(DeviceTensor gradY, DeviceTensor gradX) {
        queue.elementwise(DeviceKernel.ADAPTIVE_AVG_POOL_BACKWARD, new PoolArgs(gradX.size(), gradY.offset(),
                gradX.offset(), -1, gradX.shape().h(), gradX.shape().w(), gradY.shape().h(), gradY.shape().w()));
    }

    @Override
    protected void doDropoutForward(DeviceTensor x, float p, long seed, DeviceTensor y, DeviceTensor mask) {
        queue.elementwise(DeviceKernel.DROPOUT_FORWARD, new DropoutArgs(x.size(), x.offset(), y.offset(), mask.offset(),
                seed, p));
    }

    @Override
    protected void doDropoutBackward(DeviceTensor gradY, DeviceTensor mask, DeviceTensor gradX) {
        queue.elementwise(DeviceKernel.MULTIPLY, new BinaryArgs(gradY.size(), gradY.offset(), mask.offset(), gradX.offset()));
    }

    // ---------------------------------------------------------------- loss, optimizers

    @Override
    protected void doSoftmaxCrossEntropy(DeviceTensor logits, DeviceTensor labels, Reduction reduction,
                                         DeviceTensor result, DeviceTensor gradLogits) {
        int rows = logits.shape().rows();
        float rowScale = reduction == Reduction.MEAN ? 1f / rows : 1f;
        queue.perGroup(DeviceKernel.SOFTMAX_CROSS_ENTROPY, 1, new CrossEntropyArgs(logits.offset(), labels.offset(),
                result.offset(), gradLogits == null ? -1 : gradLogits.offset(), rows, logits.shape().cols(), rowScale));
    }

    @Override
    protected void doUnscaleAndCheckFinite(DeviceTensor grad, float invScale, DeviceTensor foundInf) {
        queue.elementwise(DeviceKernel.UNSCALE_AND_CHECK_FINITE, new UnscaleArgs(grad.size(), grad.offset(),
                foundInf.offset(), invScale));
    }

    @Override
    protected void doAdamStep(DeviceTensor param, DeviceTensor grad, DeviceTensor m, DeviceTensor v, AdamParams h,
                              int step) {
        double stepSize = h.lr() / (1.0 - Math.pow(h.beta1(), step));
        double sqrtBiasCorrection2 = Math.sqrt(1.0 - Math.pow(h.beta2(), step));
        queue.adam(param.offset(), grad.offset(), m.offset(), v.offset(), param.size(), h.decoupled(),
                new AdamHyper(h.lr(), h.beta1(), h.beta2(), h.eps(), h.weightDecay(), (float) stepSize,
                        (float) sqrtBiasCorrection2));
    }

    @Override
    protected void doSgdStep(DeviceTensor param, DeviceTensor grad, DeviceTensor momentumBuffer, SgdParams h,
                             boolean firstStep) {
        boolean momentum = momentumBuffer != null && h.momentum() != 0f;
        queue.elementwise(DeviceKernel.SGD, new SgdArgs(param.size(), param.offset(), grad.offset(),
                momentum ? momentumBuffer.offset() : -1, firstStep, h.nesterov(), h.lr(), h.momentum(), h.dampening(),
                h.weightDecay()));
    }
}
