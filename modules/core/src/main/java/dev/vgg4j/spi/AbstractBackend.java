package dev.vgg4j.spi;

import dev.vgg4j.core.Shape;
import dev.vgg4j.core.ShapeException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The part every backend shares: argument and shape checks with messages that name the op and the
 * shapes, ownership of tensors, and linear layers expressed through {@link #gemm}. A backend
 * implements the {@code do*} kernels, which may assume valid arguments.
 *
 * @param <T> the backend's tensor class
 */
public abstract class AbstractBackend<T extends Tensor> implements Backend {
    private final Class<T> tensorClass;
    private final Set<T> live = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    protected AbstractBackend(Class<T> tensorClass) {
        this.tensorClass = tensorClass;
    }

    // ---------------------------------------------------------------- kernels a backend implements

    protected abstract T doAllocate(Shape shape);

    /** Frees a tensor's memory (not called for views). */
    protected abstract void doFree(T tensor);

    protected abstract void doUpload(float[] src, T dst);

    protected abstract void doUpload(byte[] src, float scale, float offset, T dst);

    protected abstract void doDownload(T src, float[] dst);

    protected abstract void doFill(T t, float value);

    protected abstract void doCopy(T src, T dst);

    protected abstract void doAxpy(float alpha, T x, T y);

    protected abstract void doScale(T t, float alpha);

    protected abstract void doSum(T t, T out);

    /** {@code C[M,N] = alpha * op(A)[M,K] * op(B)[K,N] + beta * C}; C not read when beta is 0. */
    protected abstract void doGemm(boolean transA, boolean transB, int m, int n, int k,
                                   float alpha, T a, T b, float beta, T c);

    /** {@code y[n, :] = bias} for every row of {@code y [N, F]}. */
    protected abstract void doBroadcastRows(T bias, T y);

    /** {@code out[f] = sum_n g[n, f]} for {@code g [N, F]}. */
    protected abstract void doColumnSums(T g, T out);

    protected abstract void doConv2dForward(T input, T weight, T bias, Conv2dSpec spec, T output);

    /**
     * {@code output = max(conv2d(input, weight) + bias, 0)}; by default the convolution then the
     * ReLU in place, a backend overrides it to fuse the two.
     */
    protected void doConv2dReluForward(T input, T weight, T bias, Conv2dSpec spec, T output) {
        doConv2dForward(input, weight, bias, spec, output);
        doReluForward(output, output);
    }

    protected abstract void doConv2dBackwardInput(T gradOutput, T weight, Conv2dSpec spec, T gradInput);

    protected abstract void doConv2dBackwardWeight(T input, T gradOutput, Conv2dSpec spec, T gradWeight, T gradBias);

    protected abstract void doBatchNormTrainForward(T x, T gamma, T beta, T runningMean, T runningVar,
                                                    float momentum, float eps, T y, T saveMean, T saveInvStd);

    protected abstract void doBatchNormInferenceForward(T x, T gamma, T beta, T runningMean, T runningVar,
                                                        float eps, T y);

    protected abstract void doBatchNormBackward(T x, T gradY, T gamma, T saveMean, T saveInvStd,
                                                T gradX, T gradGamma, T gradBeta);

    protected abstract void doReluForward(T x, T y);

    protected abstract void doReluBackward(T y, T gradY, T gradX);

    protected abstract void doMaxPool2dForward(T x, T y, T argmax);

    protected abstract void doMaxPool2dBackward(T gradY, T argmax, T gradX);

    /** x {@code [N, C, H, W]} -> y {@code [N, C, OH, OW]}; N and C agree. */
    protected abstract void doAdaptiveAvgPool2dForward(T x, T y);

    /** gradY {@code [N, C, OH, OW]} -> gradX {@code [N, C, H, W]}, overwritten. */
    protected abstract void doAdaptiveAvgPool2dBackward(T gradY, T gradX);

    protected abstract void doDropoutForward(T x, float p, long seed, T y, T mask);

    protected abstract void doDropoutBackward(T gradY, T mask, T gradX);

    protected abstract void doSoftmaxCrossEntropy(T logits, T labels, Reduction reduction, T result, T gradLogits);

    /** {@code foundInf [1]} set to 1 when grad holds inf or NaN (else untouched); grad scaled in place. */
    protected abstract void doUnscaleAndCheckFinite(T grad, float invScale, T foundInf);

    protected abstract void doAdamStep(T param, T grad, T m, T v, AdamParams params, int step);

    protected abstract void doSgdStep(T param, T grad, T momentumBuffer, SgdParams params, boolean firstStep);

    /** Releases threads and other resources after every tensor was freed. */
    protected void doClose() {}

    // ---------------------------------------------------------------- memory

    @Override
    public final Tensor allocate(Shape shape) {
        checkOpen();
        T t = doAllocate(shape);
        live.add(t);
        return t;
    }

    /** Called by a tensor's {@code close()}; frees it once. */
    protected final void release(T tensor) {
        if (live.remove(tensor)) {
            doFree(tensor);
        }
    }

    /** Tensors allocated and not yet closed (views not counted). */
    public final int liveTensors() {
        return live.size();
    }

    @Override
    public final void upload(float[] src, Tensor dst) {
        T d = own("upload", "dst", dst);
        if (src.length != d.size()) {
            throw new ShapeException("upload: " + src.length + " floats do not fit dst " + d.shape());
        }
        doUpload(src, d);
    }

    @Override
    public final void upload(byte[] src, float scale, float offset, Tensor dst) {
        T d = own("upload", "dst", dst);
        if (src.length != d.size()) {
            throw new ShapeException("upload: " + src.length + " bytes do not fit dst " + d.shape());
        }
        doUpload(src, scale, offset, d);
    }

    @Override
    public void uploadLabels(int[] labels, Tensor dst) {
        T d = own("uploadLabels", "dst", dst);
        if (d.shape().rank() != 1 || labels.length != d.size()) {
            throw new ShapeException("uploadLabels: " + labels.length + " labels do not fit dst " + d.shape()
                    + " (expected [" + labels.length + "])");
        }
        float[] asFloat = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("uploadLabels: label " + labels[i] + " at index " + i
                        + " is negative; labels are class indices 0..K-1");
            }
            asFloat[i] = labels[i];
        }
        doUpload(asFloat, d);
    }

    @Override
    public final void download(Tensor src, float[] dst) {
        T s = own("download", "src", src);
        if (dst.length < s.size()) {
            throw new ShapeException("download: src " + s.shape() + " does not fit " + dst.length + " floats");
        }
        doDownload(s, dst);
    }

    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (T t : List.copyOf(live)) {
            release(t);
        }
        doClose();
    }

    /** True once {@link #close} ran. */
    final boolean isShutDown() {
        return closed;
    }

    protected final void checkOpen() {
        if (closed) {
            throw new IllegalStateException("backend '" + name() + "' is closed");
        }
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    public final void fill(Tensor t, float value) {
        doFill(own("fill", "t", t), value);
    }

    @Override
    public final void copy(Tensor src, Tensor dst) {
        T s = own("copy", "src", src);
        T d = own("copy", "dst", dst);
        sameSize("copy", "src", s, "dst", d);
        doCopy(s, d);
    }

    @Override
    public final void axpy(float alpha, Tensor x, Tensor y) {
        T xs = own("axpy", "x", x);
        T ys = own("axpy", "y", y);
        sameSize("axpy", "x", xs, "y", ys);
        doAxpy(alpha, xs, ys);
    }

    @Override
    public final void scale(Tensor t, float alpha) {
        doScale(own("scale", "t", t), alpha);
    }

    @Override
    public final void sum(Tensor t, Tensor out) {
        T ts = own("sum", "t", t);
        T o = own("sum", "out", out);
        expect("sum", "out", o, Shape.of(1));
        doSum(ts, o);
    }

    // ---------------------------------------------------------------- gemm, linear

    @Override
    public final void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        T as = own("gemm", "A", a);
        T bs = own("gemm", "B", b);
        T cs = own("gemm", "C", c);
        rank("gemm", "A", as, 2);
        rank("gemm", "B", bs, 2);
        rank("gemm", "C", cs, 2);
        int m = transA ? as.shape().cols() : as.shape().rows();
        int k = transA ? as.shape().rows() : as.shape().cols();
        int kb = transB ? bs.shape().cols() : bs.shape().rows();
        int n = transB ? bs.shape().rows() : bs.shape().cols();
        if (k != kb || cs.shape().rows() != m || cs.shape().cols() != n) {
            throw new ShapeException("gemm: op(A) " + opShape(as, transA) + " times op(B) " + opShape(bs, transB)
                    + " does not give C " + cs.shape() + " (transA=" + transA + ", transB=" + transB + ")");
        }
        doGemm(transA, transB, m, n, k, alpha, as, bs, beta, cs);
    }

    @Override
    public final void linearForward(Tensor x, Tensor weight, Tensor bias, Tensor y) {
        T xs = own("linearForward", "x", x);
        T ws = own("linearForward", "weight", weight);
        T ys = own("linearForward", "y", y);
        rank("linearForward", "x", xs, 2);
        rank("linearForward", "weight", ws, 2);
        int n = xs.shape().rows();
        int in = xs.shape().cols();
        int out = ws.shape().rows();
        if (ws.shape().cols() != in) {
            throw new ShapeException("linearForward: x " + xs.shape() + " does not fit weight " + ws.shape()
                    + " (expected weight [out, " + in + "])");
        }
        expect("linearForward", "y", ys, Shape.matrix(n, out));
        if (bias != null) {
            T bs = own("linearForward", "bias", bias);
            expect("linearForward", "bias", bs, Shape.of(out));
            doBroadcastRows(bs, ys);
            doGemm(false, true, n, out, in, 1f, xs, ws, 1f, ys);
        } else {
            doGemm(false, true, n, out, in, 1f, xs, ws, 0f, ys);
        }
    }

    @Override
    public final void linearBackward(Tensor x, Tensor weight, Tensor gradY, Tensor gradX, Tensor gradWeight,
                                     Tensor gradBias) {
        T xs = own("linearBackward", "x", x);
        T ws = own("linearBackward", "weight", weight);
        T gy = own("linearBackward", "gradY", gradY);
        T gw = own("linearBackward", "gradWeight", gradWeight);
        rank("linearBackward", "x", xs, 2);
        rank("linearBackward", "weight", ws, 2);
        int n = xs.shape().rows();
        int in = xs.shape().cols();
        int out = ws.shape().rows();
        expect("linearBackward", "weight", ws, Shape.matrix(out, in));
        expect("linearBackward", "gradY", gy, Shape.matrix(n, out));
        expect("linearBackward", "gradWeight", gw, ws.shape());
        if (gradX != null) {
            T gx = own("linearBackward", "gradX", gradX);
            expect("linearBackward", "gradX", gx, xs.shape());
            doGemm(false, false, n, in, out, 1f, gy, ws, 0f, gx);
        }
        doGemm(true, false, out, in, n, 1f, gy, xs, 0f, gw);
        if (gradBias != null) {
            T gb = own("linearBackward", "gradBias", gradBias);
            expect("linearBackward", "gradBias", gb, Shape.of(out));
            doColumnSums(gy, gb);
        }
    }

    // ---------------------------------------------------------------- convolution

    @Override
    public final void conv2dForward(Tensor input, Tensor weight, Tensor bias, Conv2dSpec spec, Tensor output) {
        checkConvForward("conv2dForward", input, weight, bias, spec, output);
        doConv2dForward(cast(input), cast(weight), bias == null ? null : cast(bias), spec, cast(output));
    }

    @Override
    public final void conv2dReluForward(Tensor input, Tensor weight, Tensor bias, Conv2dSpec spec, Tensor output) {
        checkConvForward("conv2dReluForward", input, weight, bias, spec, output);
        doConv2dReluForward(cast(input), cast(weight), bias == null ? null : cast(bias), spec, cast(output));
    }

    /** Ownership and shapes of a convolution forward's operands; bias may be null. */
    private void checkConvForward(String op, Tensor input, Tensor weight, Tensor bias, Conv2dSpec spec,
                                  Tensor output) {
        T in = own(op, "input", input);
        T w = own(op, "weight", weight);
        T out = own(op, "output", output);
        checkConv(op, in.shape(), w, spec, out.shape(), "output");
        if (bias != null) {
            expect(op, "bias", own(op, "bias", bias), Shape.of(w.shape().dim(0)));
        }
    }

    /** A tensor {@link #own} has accepted, as this backend's class. */
    private T cast(Tensor t) {
        return tensorClass.cast(t);
    }

    @Override
    public final void conv2dBackwardInput(Tensor gradOutput, Tensor weight, Conv2dSpec spec, Tensor gradInput) {
        String op = "conv2dBackwardInput";
        T go = own(op, "gradOutput", gradOutput);
        T w = own(op, "weight", weight);
        T gi = own(op, "gradInput", gradInput);
        checkConv(op, gi.shape(), w, spec, go.shape(), "gradOutput");
        doConv2dBackwardInput(go, w, spec, gi);
    }

    @Override
    public final void conv2dBackwardWeight(Tensor input, Tensor gradOutput, Conv2dSpec spec, Tensor gradWeight,
                                           Tensor gradBias) {
        String op = "conv2dBackwardWeight";
        T in = own(op, "input", input);
        T go = own(op, "gradOutput", gradOutput);
        T gw = own(op, "gradWeight", gradWeight);
        checkConv(op, in.shape(), gw, spec, go.shape(), "gradOutput");
        T gb = gradBias == null ? null : own(op, "gradBias", gradBias);
        if (gb != null) {
            expect(op, "gradBias", gb, Shape.of(gw.shape().dim(0)));
        }
        doConv2dBackwardWeight(in, go, spec, gw, gb);
    }

    private static void checkConv(String op, Shape in, Tensor weight, Conv2dSpec spec, Shape out, String outName) {
        Shape w = weight.shape();
        if (in.rank() != 4 || w.rank() != 4 || out.rank() != 4) {
            throw new ShapeException(op + ": expected rank-4 input [N, C, H, W], weight [F, C, KH, KW] and "
                    + outName + " [N, F, OH, OW], got input " + in + ", weight " + w + ", " + outName + " " + out);
        }
        if (w.dim(1) != in.c()) {
            throw new ShapeException(op + ": input " + in + " has " + in.c() + " channels but weight " + w
                    + " expects " + w.dim(1));
        }
        int oh = spec.outputSize(in.h(), w.dim(2));
        int ow = spec.outputSize(in.w(), w.dim(3));
        if (oh < 1 || ow < 1) {
            throw new ShapeException(op + ": input " + in + " is smaller than kernel " + w + " with " + spec);
        }
        Shape expected = Shape.nchw(in.n(), w.dim(0), oh, ow);
        if (!out.equals(expected)) {
            throw new ShapeException(op + ": " + outName + " " + out + " does not match input " + in
                    + " and weight " + w + " with " + spec + " (expected " + expected + ")");
        }
    }

    // ---------------------------------------------------------------- batch norm

    @Override
    public final void batchNormTrainForward(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean,
                                            Tensor runningVar, float momentum, float eps, Tensor y,
                                            Tensor saveMean, Tensor saveInvStd) {
        String op = "batchNormTrainForward";
        T xs = own(op, "x", x);
        rank(op, "x", xs, 4);
        Shape perChannel = Shape.of(xs.shape().c());
        T ys = own(op, "y", y);
        expect(op, "y", ys, xs.shape());
        if (xs.shape().n() * xs.shape().h() * xs.shape().w() < 2) {
            throw new ShapeException(op + ": x " + xs.shape() + " has one value per channel; batch statistics need more");
        }
        doBatchNormTrainForward(xs, channel(op, "gamma", gamma, perChannel), channel(op, "beta", beta, perChannel),
                channel(op, "runningMean", runningMean, perChannel), channel(op, "runningVar", runningVar, perChannel),
                momentum, eps, ys, channel(op, "saveMean", saveMean, perChannel),
                channel(op, "saveInvStd", saveInvStd, perChannel));
    }

    @Override
    public final void batchNormInferenceForward(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean,
                                                Tensor runningVar, float eps, Tensor y) {
        String op = "batchNormInferenceForward";
        T xs = own(op, "x", x);
        rank(op, "x", xs, 4);
        Shape perChannel = Shape.of(xs.shape().c());
        T ys = own(op, "y", y);
        expect(op, "y", ys, xs.shape());
        doBatchNormInferenceForward(xs, channel(op, "gamma", gamma, perChannel), channel(op, "beta", beta, perChannel),
                channel(op, "runningMean", runningMean, perChannel), channel(op, "runningVar", runningVar, perChannel),
                eps, ys);
    }

    @Override
    public final void batchNormBackward(Tensor x, Tensor gradY, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
                                        Tensor gradX, Tensor gradGamma, Tensor gradBeta) {
        String op = "batchNormBackward";
        T xs = own(op, "x", x);
        rank(op, "x", xs, 4);
        Shape perChannel = Shape.of(xs.shape().c());
        T gy = own(op, "gradY", gradY);
        expect(op, "gradY", gy, xs.shape());
        T gx = own(op, "gradX", gradX);
        expect(op, "gradX", gx, xs.shape());
        doBatchNormBackward(xs, gy, channel(op, "gamma", gamma, perChannel),
                channel(op, "saveMean", saveMean, perChannel), channel(op, "saveInvStd", saveInvStd, perChannel),
                gx, channel(op, "gradGamma", gradGamma, perChannel), channel(op, "gradBeta", gradBeta, perChannel));
    }

    private T channel(String op, String name, Tensor t, Shape perChannel) {
        T owned = own(op, name, t);
        expect(op, name, owned, perChannel);
        return owned;
    }

    // ---------------------------------------------------------------- relu, pool, dropout

    @Override
    public final void reluForward(Tensor x, Tensor y) {
        T xs = own("reluForward", "x", x);
        T ys = own("reluForward", "y", y);
        expect("reluForward", "y", ys, xs.shape());
        doReluForward(xs, ys);
    }

    @Override
    public final void reluBackward(Tensor y, Tensor gradY, Tensor gradX) {
        T ys = own("reluBackward", "y", y);
        T gy = own("reluBackward", "gradY", gradY);
        T gx = own("reluBackward", "gradX", gradX);
        expect("reluBackward", "gradY", gy, ys.shape());
        expect("reluBackward", "gradX", gx, ys.shape());
        doReluBackward(ys, gy, gx);
    }

    @Override
    public final void maxPool2dForward(Tensor x, Tensor y, Tensor argmax) {
        String op = "maxPool2dForward";
        T xs = own(op, "x", x);
        rank(op, "x", xs, 4);
        Shape s = xs.shape();
        if (s.h() < 2 || s.w() < 2) {
            throw new ShapeException(op + ": x " + s + " is smaller than the 2x2 window");
        }
        Shape pooled = Shape.nchw(s.n(), s.c(), s.h() / 2, s.w() / 2);
        T ys = own(op, "y", y);
        expect(op, "y", ys, pooled);
        T am = own(op, "argmax", argmax);
        expect(op, "argmax", am, pooled);
        doMaxPool2dForward(xs, ys, am);
    }

    @Override
    public final void maxPool2dBackward(Tensor gradY, Tensor argmax, Tensor gradX) {
        String op = "maxPool2dBackward";
        T gy = own(op, "gradY", gradY);
        T am = own(op, "argmax", argmax);
        T gx = own(op, "gradX", gradX);
        rank(op, "gradX", gx, 4);
        Shape s = gx.shape();
        if (s.h() < 2 || s.w() < 2) {
            throw new ShapeException(op + ": gradX " + s + " is smaller than the 2x2 window");
        }
        Shape pooled = Shape.nchw(s.n(), s.c(), s.h() / 2, s.w() / 2);
        expect(op, "gradY", gy, pooled);
        expect(op, "argmax", am, pooled);
        doMaxPool2dBackward(gy, am, gx);
    }

    @Override
    public final void adaptiveAvgPool2dForward(Tensor x, Tensor y) {
        String op = "adaptiveAvgPool2dForward";
        T xs = own(op, "x", x);
        T ys = own(op, "y", y);
        checkAdaptivePool(op, "x", xs.shape(), "y", ys.shape());
        doAdaptiveAvgPool2dForward(xs, ys);
    }

    @Override
    public final void adaptiveAvgPool2dBackward(Tensor gradY, Tensor gradX) {
        String op = "adaptiveAvgPool2dBackward";
        T gy = own(op, "gradY", gradY);
        T gx = own(op, "gradX", gradX);
        checkAdaptivePool(op, "gradX", gx.shape(), "gradY", gy.shape());
        doAdaptiveAvgPool2dBackward(gy, gx);
    }

    /** Input {@code [N, C, H, W]} and output {@code [N, C, OH, OW]}: both rank 4, the same N and C. */
    private static void checkAdaptivePool(String op, String inName, Shape in, String outName, Shape out) {
        if (in.rank() != 4 || out.rank() != 4) {
            throw new ShapeException(op + ": expected rank-4 " + inName + " [N, C, H, W] and " + outName
                    + " [N, C, OH, OW], got " + inName + " " + in + ", " + outName + " " + out);
        }
        if (in.n() != out.n() || in.c() != out.c()) {
            throw new ShapeException(op + ": " + outName + " " + out + " does not match " + inName + " " + in
                    + " in N and C (expected [" + in.n() + ", " + in.c() + ", OH, OW])");
        }
    }

    @Override
    public final void dropoutForward(Tensor x, float p, long seed, Tensor y, Tensor mask) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("dropoutForward: p must be in [0, 1), got " + p);
        }
        T xs = own("dropoutForward", "x", x);
        T ys = own("dropoutForward", "y", y);
        T ms = own("dropoutForward", "mask", mask);
        expect("dropoutForward", "y", ys, xs.shape());
        expect("dropoutForward", "mask", ms, xs.shape());
        doDropoutForward(xs, p, seed, ys, ms);
    }

    @Override
    public final void dropoutBackward(Tensor gradY, Tensor mask, Tensor gradX) {
        T gy = own("dropoutBackward", "gradY", gradY);
        T ms = own("dropoutBackward", "mask", mask);
        T gx = own("dropoutBackward", "gradX", gradX);
        expect("dropoutBackward", "mask", ms, gy.shape());
        expect("dropoutBackward", "gradX", gx, gy.shape());
        doDropoutBackward(gy, ms, gx);
    }

    // ---------------------------------------------------------------- loss, optimizers

    @Override
    public final void softmaxCrossEntropy(Tensor logits, Tensor labels, Reduction reduction, Tensor result,
                                          Tensor gradLogits) {
        String op = "softmaxCrossEntropy";
        T lg = own(op, "logits", logits);
        rank(op, "logits", lg, 2);
        T lb = own(op, "labels", labels);
        expect(op, "labels", lb, Shape.of(lg.shape().rows()));
        T rs = own(op, "result", result);
        expect(op, "result", rs, Shape.of(2));
        T gl = gradLogits == null ? null : own(op, "gradLogits", gradLogits);
        if (gl != null) {
            expect(op, "gradLogits", gl, lg.shape());
        }
        doSoftmaxCrossEntropy(lg, lb, reduction, rs, gl);
    }

    @Override
    public final void unscaleAndCheckFinite(Tensor grad, float invScale, Tensor foundInf) {
        T g = own("unscaleAndCheckFinite", "grad", grad);
        T found = own("unscaleAndCheckFinite", "foundInf", foundInf);
        expect("unscaleAndCheckFinite", "foundInf", found, Shape.of(1));
        if (!(invScale > 0) || Float.isInfinite(invScale)) {
            throw new IllegalArgumentException("unscaleAndCheckFinite: invScale must be positive and finite, got " + invScale);
        }
        doUnscaleAndCheckFinite(g, invScale, found);
    }

    @Override
    public final void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, AdamParams params, int step) {
        if (step < 1) {
            throw new IllegalArgumentException("adamStep: step counts from 1, got " + step);
        }
        T p = own("adamStep", "param", param);
        doAdamStep(p, sameAs("adamStep", "grad", grad, p), sameAs("adamStep", "m", m, p),
                sameAs("adamStep", "v", v, p), params, step);
    }

    @Override
    public final void sgdStep(Tensor param, Tensor grad, Tensor momentumBuffer, SgdParams params, boolean firstStep) {
        T p = own("sgdStep", "param", param);
        T buf = null;
        if (params.momentum() != 0f) {
            if (momentumBuffer == null) {
                throw new IllegalArgumentException("sgdStep: momentum " + params.momentum() + " needs a momentumBuffer");
            }
            buf = sameAs("sgdStep", "momentumBuffer", momentumBuffer, p);
        }
        doSgdStep(p, sameAs("sgdStep", "grad", grad, p), buf, params, firstStep);
    }

    private T sameAs(String op, String name, Tensor t, T param) {
        T owned = own(op, name, t);
        expect(op, name, owned, param.shape());
        return owned;
    }

    // ---------------------------------------------------------------- checks

    /** The tensor as this backend's class, after checking it belongs to this backend and is open. */
    protected final T own(String op, String name, Tensor t) {
        checkOpen();
        if (t == null) {
            throw new NullPointerException(op + ": " + name + " is null");
        }
        if (t.backend() != this || !tensorClass.isInstance(t)) {
            String owner = t.backend().name().equals(name())
                    ? "another '" + name() + "' backend instance"
                    : "backend '" + t.backend().name() + "'";
            throw new IllegalArgumentException(op + ": " + name + " belongs to " + owner + ", not to this '"
                    + name() + "' backend");
        }
        if (t.isClosed()) {
            throw new IllegalStateException(op + ": " + name + " " + t.shape() + " is closed");
        }
        return tensorClass.cast(t);
    }

    private static void expect(String op, String name, Tensor t, Shape expected) {
        if (!t.shape().equals(expected)) {
            throw new ShapeException(op + ": " + name + " has shape " + t.shape() + ", expected " + expected);
        }
    }

    private static void rank(String op, String name, Tensor t, int rank) {
        if (t.shape().rank() != rank) {
            throw new ShapeException(op + ": " + name + " has shape " + t.shape() + ", expected rank " + rank
                    + (rank == 4 ? " [N, C, H, W]" : rank == 2 ? " [rows, cols]" : ""));
        }
    }

    private static void sameSize(String op, String an, Tensor a, String bn, Tensor b) {
        if (a.size() != b.size()) {
            throw new ShapeException(op + ": " + an + " " + a.shape() + " and " + bn + " " + b.shape()
                    + " differ in size");
        }
    }

    private static String opShape(Tensor t, boolean trans) {
        Shape s = t.shape();
        return trans ? "[" + s.cols() + ", " + s.rows() + "] (transposed " + s + ")" : s.toString();
    }
}
