package dev.vgg4j.tornado;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.AbstractBackend;
import dev.vgg4j.spi.AdamParams;
import dev.vgg4j.spi.Conv2dSpec;
import dev.vgg4j.spi.Reduction;
import dev.vgg4j.spi.SgdParams;
import java.util.List;

/**
 * The {@code tornado} backend: every op is a launch of a TornadoVM kernel on tensors that stay in
 * the device heap of a {@link DevicePlan}. Convolutions follow the cpu backend's algorithm: im2col
 * into a column matrix, then GEMM, for chunks of images that fit the scratch budget.
 */
public final class TornadoBackend extends AbstractBackend<DeviceTensor> {
    /**
     * Upper bound of a convolution's scratch (the column matrix), floats: large
     * enough that the recipe's convolutions take a whole batch of 128 in one or two chunks (fewer launches).
     */
    private static final long CONV_SCRATCH_FLOATS = 256L << 20;

    private final DevicePlan device;
    /** Scratch budget: the bound above, or an eighth of a smaller device heap. */
    private final long scratchBudget;
    /** Split-K partial sums' budget: a sixteenth of the scratch budget. */
    private final long partialsBudget;
    private DeviceTensor scratch;
    private DeviceTensor partials;

    TornadoBackend(DevicePlan device) {
        super(DeviceTensor.class);
        this.device = device;
        this.scratchBudget = Math.min(CONV_SCRATCH_FLOATS, device.arena().capacityFloats() / 8);
        this.partialsBudget = scratchBudget / 16;
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

    /** Bytes sent host to device since the device plan was built (parameters, staged tensors, the heap once). */
    public long bytesToDevice() {
        return device.bytesToDevice();
    }

    /** Bytes read back from the device since the device plan was built. */
    public long bytesToHost() {
        return device.bytesToHost();
    }

    /** Kernel launches since the device plan was built. */
    public long launches() {
        return device.launches();
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
        device.flush();
        scratch = null;
        partials = null;
    }

    @Override
    public void synchronize() {
        // Launches complete in order before execute() returns; only deferred Adam updates can be pending.
        device.flush();
    }

    @Override
    protected void doUpload(float[] src, DeviceTensor dst) {
        device.upload(src, dst.offset());
    }

    @Override
    protected void doUpload(byte[] src, float scale, float offset, DeviceTensor dst) {
        device.upload(src, scale, offset, dst.offset());
    }

    @Override
    protected void doDownload(DeviceTensor src, float[] dst) {
        device.download(src.offset(), dst, src.size());
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    protected void doFill(DeviceTensor t, float value) {
        device.elementwise(DeviceKernel.FILL, new int[] {t.size(), t.offset()}, value);
    }

    @Override
    protected void doCopy(DeviceTensor src, DeviceTensor dst) {
        device.elementwise(DeviceKernel.COPY, new int[] {src.size(), src.offset(), dst.offset()});
    }

    @Override
    protected void doAxpy(float alpha, DeviceTensor x, DeviceTensor y) {
        device.elementwise(DeviceKernel.AXPBY, new int[] {x.size(), x.offset(), y.offset()}, alpha, 1f);
    }

    @Override
    protected void doScale(DeviceTensor t, float alpha) {
        device.elementwise(DeviceKernel.AXPBY, new int[] {t.size(), t.offset(), t.offset()}, alpha, 0f);
    }

    @Override
    protected void doSum(DeviceTensor t, DeviceTensor out) {
        channelSums(t, 1, 1, t.size(), out);
    }

    /** out[c] = sum over [outer, C, inner] of src, one work-group per channel. */
    private void channelSums(DeviceTensor src, int outer, int channels, int inner, DeviceTensor out) {
        device.perGroup(DeviceKernel.CHANNEL_SUMS, channels,
                new int[] {src.offset(), out.offset(), outer, channels, inner});
    }

    // ---------------------------------------------------------------- GEMM

    @Override
    protected void doGemm(boolean transA, boolean transB, int m, int n, int k, float alpha, DeviceTensor a,
                          DeviceTensor b, float beta, DeviceTensor c) {
        // A stored [M, K] or, transposed, [K, M]; B stored [K, N] or [N, K]: a transpose swaps strides.
        Matrix am = transA ? Matrix.of(a.offset(), 1, m) : Matrix.of(a.offset(), k, 1);
        Matrix bm = transB ? Matrix.of(b.offset(), 1, k) : Matrix.of(b.offset(), n, 1);
        gemm(m, n, k, alpha, am, bm, beta, Matrix.of(c.offset(), n, 1), 1, -1);
    }

    /**
     * A strided operand: element (row, col) of batch z at offset + z * batchStride + row * rowStride +
     * (col / perImage) * imageStride + (col % perImage) * colStride. Image columns let a GEMM read or
     * write a convolution's [N, F, P] tensor as the matrix [F, N*P] (for A, its columns are along K).
     */
    private record Matrix(int offset, int rowStride, int colStride, int batchStride, int perImage, int imageStride) {
        static Matrix of(int offset, int rowStride, int colStride) {
            return new Matrix(offset, rowStride, colStride, 0, Integer.MAX_VALUE, 0);
        }

        Matrix batched(int stride) {
            return new Matrix(offset, rowStride, colStride, stride, perImage, imageStride);
        }

        /** Columns are (image, position) pairs of {@code positions} per image, images {@code stride} apart. */
        Matrix imageColumns(int positions, int stride) {
            return new Matrix(offset, rowStride, colStride, batchStride, positions, stride);
        }
    }

    /**
     * C_z = alpha * A_z * B_z + beta * C_z (+ bias per row of C, offset or -1) for z below batch. A
     * single GEMM with too few output blocks for the device and a long K is split along K into
     * slices summed by a second launch (see {@link GemmSplit}).
     */
    private void gemm(int m, int n, int k, float alpha, Matrix a, Matrix b, float beta, Matrix c, int batch, int bias) {
        int slices = batch == 1 && bias < 0 && c.perImage() == Integer.MAX_VALUE
                ? GemmSplit.slices(m, n, k, partialsBudget) : 1;
        if (slices == 1) {
            launchGemm(m, n, k, alpha, a, b, beta, c, batch, bias, 0);
            return;
        }
        int kSlice = GemmSplit.sliceLength(k, slices);
        int count = GemmSplit.sliceCount(k, kSlice);
        int parts = partials(count * m * n);
        // part[s][M, N] = alpha * A[:, s-th K slice] * B[s-th K slice, :], then C = sum over s (+ beta * C).
        launchGemm(m, n, k, alpha, a, b, 0f, Matrix.of(parts, n, 1).batched(m * n), count, -1, kSlice);
        device.elementwise(DeviceKernel.SUM_SLICES, new int[] {m * n, parts, count, c.offset(), n, c.rowStride(),
                beta == 0f ? 0 : 1}, beta);
    }

    private void launchGemm(int m, int n, int k, float alpha, Matrix a, Matrix b, float beta, Matrix c, int batch,
                            int bias, int kSlice) {
        if (b.perImage() != Integer.MAX_VALUE && b.colStride() != 1) {
            throw new IllegalStateException("gemm: B with image columns needs column stride 1, got " + b.colStride());
        }
        if (a.perImage() != Integer.MAX_VALUE && a.colStride() != 1) {
            throw new IllegalStateException("gemm: A with image columns needs column stride 1, got " + a.colStride());
        }
        device.gemm(m, n, batch, new int[] {m, n, k, a.offset(), a.rowStride(), a.colStride(), a.batchStride(),
                b.offset(), b.rowStride(), b.colStride(), b.batchStride(), c.offset(), c.rowStride(), c.batchStride(),
                beta == 0f ? 0 : 1, bias, kSlice, b.perImage(), b.imageStride(), c.perImage(), c.imageStride(),
                a.perImage(), a.imageStride()},
                alpha, beta);
    }

    /** The split-K partial sums' buffer, at least {@code floats}, kept like the convolution scratch. */
    private int partials(int floats) {
        if (partials == null || partials.size() < floats) {
            if (partials != null) {
                partials.close();
            }
            partials = (DeviceTensor) allocate(Shape.of(floats));
        }
        return partials.offset();
    }

    @Override
    protected void doBroadcastRows(DeviceTensor bias, DeviceTensor y) {
        int cols = y.shape().cols();
        device.elementwise(DeviceKernel.CHANNEL_BROADCAST, new int[] {y.size(), bias.offset(), y.offset(), cols, 1});
    }

    @Override
    protected void doColumnSums(DeviceTensor g, DeviceTensor out) {
        channelSums(g, g.shape().rows(), g.shape().cols(), 1, out);
    }

    // ---------------------------------------------------------------- convolution

    /** The geometry of one convolution and how many images go through its scratch at once. */
    private record ConvGeometry(int n, int c, int h, int w, int f, int kh, int kw, int oh, int ow, Conv2dSpec spec,
                                int chunk) {
        static ConvGeometry of(Shape input, Shape weight, Shape output, Conv2dSpec spec, long budget) {
            int rows = weight.dim(1) * weight.dim(2) * weight.dim(3);
            long perImage = (long) rows * output.h() * output.w();
            int chunk = (int) Math.max(1, Math.min(input.n(), budget / perImage));
            return new ConvGeometry(input.n(), input.c(), input.h(), input.w(), weight.dim(0), weight.dim(2),
                    weight.dim(3), output.h(), output.w(), spec, chunk);
        }

        int rows() {
            return c * kh * kw;
        }

        int plane() {
            return oh * ow;
        }

        /** Scratch: the column matrix [rows, chunk*P]. */
        int scratchFloats() {
            return rows() * chunk * plane();
        }

        int[] im2colInts(int count, int image, int col, int images) {
            return new int[] {count, image, col, c, h, w, kh, kw, oh, ow, spec.stride(), spec.padding(), images};
        }
    }

    /** Scratch of at least {@code floats}, kept between calls so that a training step allocates nothing. */
    private DeviceTensor scratch(int floats) {
        if (scratch == null || scratch.size() < floats) {
            if (scratch != null) {
                scratch.close();
            }
            scratch = (DeviceTensor) allocate(Shape.of(floats));
        }
        return scratch;
    }

    @Override
    protected void doConv2dForward(DeviceTensor input, DeviceTensor weight, DeviceTensor bias, Conv2dSpec spec,
                                   DeviceTensor output) {
        ConvGeometry g = ConvGeometry.of(input.shape(), weight.shape(), output.shape(), spec, scratchBudget);
        int col = scratch(g.scratchFloats()).offset();
        int p = g.plane();
        for (int n0 = 0; n0 < g.n(); n0 += g.chunk()) {
            int nb = Math.min(g.chunk(), g.n() - n0);
            int out = output.offset() + n0 * g.f() * p;
            device.elementwise(DeviceKernel.IM2COL,
                    g.im2colInts(g.rows() * nb * p, input.offset() + n0 * g.c() * g.h() * g.w(), col, nb));
            // out[nb, F, P] seen as [F, nb*P] = W[F, rows] * col[rows, nb*P] + bias[F], in one GEMM.
            gemm(g.f(), nb * p, g.rows(), 1f, Matrix.of(weight.offset(), g.rows(), 1), Matrix.of(col, nb * p, 1), 0f,
                    Matrix.of(out, p, 1).imageColumns(p, g.f() * p), 1, bias != null ? bias.offset() : -1);
        }
    }

    @Override
    protected void doConv2dBackwardInput(DeviceTensor gradOutput, DeviceTensor weight, Conv2dSpec spec,
                                         DeviceTensor gradInput) {
        ConvGeometry g = ConvGeometry.of(gradInput.shape(), weight.shape(), gradOutput.shape(), spec, scratchBudget);
        int col = scratch(g.scratchFloats()).offset();
        int p = g.plane();
        for (int n0 = 0; n0 < g.n(); n0 += g.chunk()) {
            int nb = Math.min(g.chunk(), g.n() - n0);
            // colGrad[rows, nb*P] = W^T[rows, F] * gradOutput[nb, F, P] seen as [F, nb*P]
            gemm(g.rows(), nb * p, g.f(), 1f, Matrix.of(weight.offset(), 1, g.rows()),
                    Matrix.of(gradOutput.offset() + n0 * g.f() * p, p, 1).imageColumns(p, g.f() * p), 0f,
                    Matrix.of(col, nb * p, 1), 1, -1);
            device.elementwise(DeviceKernel.COL2IM,
                    g.im2colInts(nb * g.c() * g.h() * g.w(), gradInput.offset() + n0 * g.c() * g.h() * g.w(), col, nb));
        }
    }

    @Override
    protected void doConv2dBackwardWeight(DeviceTensor input, DeviceTensor gradOutput, Conv2dSpec spec,
                                          DeviceTensor gradWeight, DeviceTensor gradBias) {
        ConvGeometry g = ConvGeometry.of(input.shape(), gradWeight.shape(), gradOutput.shape(), spec, scratchBudget);
        int col = scratch(g.scratchFloats()).offset();
        int p = g.plane();
        for (int n0 = 0; n0 < g.n(); n0 += g.chunk()) {
            int nb = Math.min(g.chunk(), g.n() - n0);
            device.elementwise(DeviceKernel.IM2COL,
                    g.im2colInts(g.rows() * nb * p, input.offset() + n0 * g.c() * g.h() * g.w(), col, nb));
            // gradW[F, rows] (+)= gradOutput[nb, F, P] seen as [F, nb*P] * col^T[nb*P, rows]; the first chunk overwrites.
            gemm(g.f(), g.rows(), nb * p, 1f, Matrix.of(gradOutput.offset() + n0 * g.f() * p, p, 1).imageColumns(p, g.f() * p),
                    Matrix.of(col, 1, nb * p),
                    n0 == 0 ? 0f : 1f, Matrix.of(gradWeight.offset(), g.rows(), 1), 1, -1);
        }
        if (gradBias != null) {
            channelSums(gradOutput, g.n(), g.f(), p, gradBias);
        }
    }

    // ---------------------------------------------------------------- batch norm

    @Override
    protected void doBatchNormTrainForward(DeviceTensor x, DeviceTensor gamma, DeviceTensor beta,
                                           DeviceTensor runningMean, DeviceTensor runningVar, float momentum,
                                           float eps, DeviceTensor y, DeviceTensor saveMean, DeviceTensor saveInvStd) {
        Shape s = x.shape();
        int plane = s.h() * s.w();
        device.perGroup(DeviceKernel.BATCH_NORM_STATS, s.c(), new int[] {x.offset(), s.n(), s.c(), plane,
                saveMean.offset(), saveInvStd.offset(), runningMean.offset(), runningVar.offset()}, momentum, eps);
        normalize(x, y, saveMean, saveInvStd, gamma, beta, 0, eps);
    }

    @Override
    protected void doBatchNormInferenceForward(DeviceTensor x, DeviceTensor gamma, DeviceTensor beta,
                                               DeviceTensor runningMean, DeviceTensor runningVar, float eps,
                                               DeviceTensor y) {
        normalize(x, y, runningMean, runningVar, gamma, beta, 1, eps);
    }

    /**
     * mode 0: {@code scaleSource} is invStd; mode 1: it is the running variance. Deferred: a ReLU on y
     * that follows joins the launch (see {@link #doReluForward}).
     */
    private void normalize(DeviceTensor x, DeviceTensor y, DeviceTensor mean, DeviceTensor scaleSource,
                           DeviceTensor gamma, DeviceTensor beta, int mode, float eps) {
        Shape s = x.shape();
        device.deferElementwise(DeviceKernel.BATCH_NORM_NORMALIZE, new int[] {x.size(), x.offset(), y.offset(), s.c(),
                s.h() * s.w(), mean.offset(), scaleSource.offset(), gamma.offset(), beta.offset(), mode, -1}, eps);
    }

    @Override
    protected void doBatchNormBackward(DeviceTensor x, DeviceTensor gradY, DeviceTensor gamma, DeviceTensor saveMean,
                                       DeviceTensor saveInvStd, DeviceTensor gradX, DeviceTensor gradGamma,
                                       DeviceTensor gradBeta) {
        Shape s = x.shape();
        int plane = s.h() * s.w();
        // The ReLU backward that produced gradY, if still deferred, runs inside the sums' kernel.
        DevicePlan.Deferred relu = device.takeDeferred(DeviceKernel.RELU_BACKWARD, 3, gradY.offset(), x.size());
        device.perGroup(DeviceKernel.BATCH_NORM_BACKWARD_SUMS, s.c(), new int[] {x.offset(), gradY.offset(), s.n(),
                s.c(), plane, saveMean.offset(), saveInvStd.offset(), gradGamma.offset(), gradBeta.offset(),
                relu == null ? -1 : relu.ints()[1], relu == null ? -1 : relu.ints()[2]});
        device.elementwise(DeviceKernel.BATCH_NORM_BACKWARD_INPUT, new int[] {x.size(), x.offset(), gradY.offset(),
                gradX.offset(), s.c(), plane, gamma.offset(), saveMean.offset(), saveInvStd.offset(),
                gradGamma.offset(), gradBeta.offset(), s.n() * plane});
    }

    // ---------------------------------------------------------------- relu, pool, dropout

    /** A ReLU on a batch norm's output joins the still deferred normalize launch (VGG's BN-ReLU pairs). */
    @Override
    protected void doReluForward(DeviceTensor x, DeviceTensor y) {
        DevicePlan.Deferred bn = device.takeDeferred(DeviceKernel.BATCH_NORM_NORMALIZE, 2, x.offset(), x.size());
        if (bn == null) {
            device.elementwise(DeviceKernel.RELU_FORWARD, new int[] {x.size(), x.offset(), y.offset()});
            return;
        }
        int[] ints = bn.ints().clone();
        ints[10] = y.offset();
        device.elementwise(DeviceKernel.BATCH_NORM_NORMALIZE, ints, bn.floats());
    }

    /** Deferred: a batch norm backward on gradX that follows does this in its sums' kernel. */
    @Override
    protected void doReluBackward(DeviceTensor y, DeviceTensor gradY, DeviceTensor gradX) {
        device.deferElementwise(DeviceKernel.RELU_BACKWARD, new int[] {y.size(), y.offset(), gradY.offset(), gradX.offset()});
    }

    @Override
    protected void doMaxPool2dForward(DeviceTensor x, DeviceTensor y, DeviceTensor argmax) {
        Shape s = x.shape();
        device.elementwise(DeviceKernel.MAX_POOL_FORWARD, new int[] {y.size(), x.offset(), y.offset(), argmax.offset(),
                s.h(), s.w(), s.h() / 2, s.w() / 2});
    }

    @Override
    protected void doMaxPool2dBackward(DeviceTensor gradY, DeviceTensor argmax, DeviceTensor gradX) {
        Shape s = gradX.shape();
        device.elementwise(DeviceKernel.MAX_POOL_BACKWARD, new int[] {gradX.size(), gradY.offset(), argmax.offset(),
                gradX.offset(), s.h(), s.w(), s.h() / 2, s.w() / 2});
    }

    @Override
    protected void doAdaptiveAvgPool2dForward(DeviceTensor x, DeviceTensor y) {
        device.elementwise(DeviceKernel.ADAPTIVE_AVG_POOL_FORWARD, new int[] {y.size(), x.offset(), y.offset(),
                x.shape().h(), x.shape().w(), y.shape().h(), y.shape().w()});
    }

    @Override
    protected void doAdaptiveAvgPool2dBackward(DeviceTensor gradY, DeviceTensor gradX) {
        device.elementwise(DeviceKernel.ADAPTIVE_AVG_POOL_BACKWARD, new int[] {gradX.size(), gradY.offset(),
                gradX.offset(), gradX.shape().h(), gradX.shape().w(), gradY.shape().h(), gradY.shape().w()});
    }

    @Override
    protected void doDropoutForward(DeviceTensor x, float p, long seed, DeviceTensor y, DeviceTensor mask) {
        device.elementwise(DeviceKernel.DROPOUT_FORWARD, new int[] {x.size(), x.offset(), y.offset(), mask.offset(),
                (int) (seed >>> 32), (int) seed}, p, 1f / (1f - p));
    }

    @Override
    protected void doDropoutBackward(DeviceTensor gradY, DeviceTensor mask, DeviceTensor gradX) {
        device.elementwise(DeviceKernel.MULTIPLY, new int[] {gradY.size(), gradY.offset(), mask.offset(), gradX.offset()});
    }

    // ---------------------------------------------------------------- loss, optimizers

    @Override
    protected void doSoftmaxCrossEntropy(DeviceTensor logits, DeviceTensor labels, Reduction reduction,
                                         DeviceTensor result, DeviceTensor gradLogits) {
        int rows = logits.shape().rows();
        float rowScale = reduction == Reduction.MEAN ? 1f / rows : 1f;
        device.perGroup(DeviceKernel.SOFTMAX_CROSS_ENTROPY, 1, new int[] {logits.offset(), labels.offset(),
                result.offset(), gradLogits == null ? -1 : gradLogits.offset(), rows, logits.shape().cols()}, rowScale);
    }

    @Override
    protected void doAdamStep(DeviceTensor param, DeviceTensor grad, DeviceTensor m, DeviceTensor v, AdamParams h,
                              int step) {
        double stepSize = h.lr() / (1.0 - Math.pow(h.beta1(), step));
        double sqrtBiasCorrection2 = Math.sqrt(1.0 - Math.pow(h.beta2(), step));
        device.adam(param.offset(), grad.offset(), m.offset(), v.offset(), param.size(), h.decoupled(),
                new float[] {h.lr(), h.beta1(), h.beta2(), h.eps(), h.weightDecay(), (float) stepSize,
                    (float) sqrtBiasCorrection2});
    }

    @Override
    protected void doSgdStep(DeviceTensor param, DeviceTensor grad, DeviceTensor momentumBuffer, SgdParams h,
                             boolean firstStep) {
        boolean momentum = momentumBuffer != null && h.momentum() != 0f;
        device.elementwise(DeviceKernel.SGD, new int[] {param.size(), param.offset(), grad.offset(),
                momentum ? momentumBuffer.offset() : -1, momentum ? 1 : 0, firstStep ? 1 : 0, h.nesterov() ? 1 : 0},
                h.lr(), h.momentum(), h.dampening(), h.weightDecay());
    }
}
