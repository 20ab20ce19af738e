package dev.vgg4j.spi;

import dev.vgg4j.core.Shape;

/**
 * A compute backend: it owns all tensor memory it hands out and runs every op of a VGG training
 * step at layer level. Implementations: {@code reference} (scalar Java, the oracle), {@code cpu}
 * (Vector API) and {@code tornado} (TornadoVM, GPU). Found through {@link BackendProvider}.
 *
 * <h2>Conventions for every op</h2>
 * <ul>
 *   <li>All tensors are float32, row-major and contiguous; images are {@code [N, C, H, W]},
 *       matrices {@code [rows, cols]}. Every op checks shapes first and throws
 *       {@link dev.vgg4j.core.ShapeException} naming the op and the shapes it got.</li>
 *   <li>Outputs are passed in, allocated by the caller once and reused each step, so a training
 *       step allocates nothing. An output is <b>overwritten</b> completely (no op reads an output
 *       before writing it, unless its javadoc says it accumulates, like {@code beta} in
 *       {@link #gemm}). Gradients are overwritten, never accumulated.</li>
 *   <li>An output must not alias an input unless the op says so.</li>
 *   <li>Ops may run asynchronously; {@link #download} and {@link #synchronize} are the only sync
 *       points. Errors of an asynchronous op may surface at the next sync point.</li>
 *   <li>Semantics are PyTorch's; each op states the formula.</li>
 * </ul>
 */
public interface Backend extends AutoCloseable {

    /** The provider name, e.g. {@code "cpu"}. */
    String name();

    /** Human-readable description of where ops run, e.g. {@code "2 threads, AVX2 (8 floats)"}. */
    String deviceDescription();

    /** Threads used by the host side of this backend. */
    int threads();

    /** The arithmetic its ops run in, as created ({@link BackendOptions#precision()}). */
    default Precision precision() {
        return Precision.FP32;
    }

    // ---------------------------------------------------------------- memory and transfers

    /** A new tensor; its contents are undefined until written. */
    Tensor allocate(Shape shape);

    /** A new tensor filled with {@code value}. */
    default Tensor allocate(Shape shape, float value) {
        Tensor t = allocate(shape);
        fill(t, value);
        return t;
    }

    /** A new tensor holding a copy of {@code data} ({@code data.length == shape.size()}). */
    default Tensor upload(float[] data, Shape shape) {
        Tensor t = allocate(shape);
        upload(data, t);
        return t;
    }

    /** Copies {@code src} (length {@code dst.size()}) into {@code dst}. */
    void upload(float[] src, Tensor dst);

    /**
     * Image bytes to floats on the way in: {@code dst[i] = (src[i] & 0xFF) * scale + offset}. For
     * the recipe's {@code ToTensor + Normalize(0.5, 0.5)} that is {@code scale = 2/255, offset = -1}.
     * Moving bytes rather than floats divides the host-to-device traffic by four.
     */
    void upload(byte[] src, float scale, float offset, Tensor dst);

    /** Integer class labels, stored as exact float values {@code 0..K-1}; {@code dst} is {@code [N]}. */
    void uploadLabels(int[] labels, Tensor dst);

    /** Copies {@code src} into {@code dst} (length {@code src.size()}); waits for pending ops. */
    void download(Tensor src, float[] dst);

    default float[] download(Tensor src) {
        float[] out = new float[src.size()];
        download(src, out);
        return out;
    }

    /** Waits until every op issued so far has finished. */
    void synchronize();

    /**
     * Runs {@code step}, a sequence of op calls that is issued identically every time it runs with
     * the same {@code key} (a training step for one batch shape). A backend that pays per launch may
     * record the ops the first time and, on later calls, replay the recording; it still runs
     * {@code step} so that scalar arguments that change between calls (learning rate, Adam step,
     * dropout seed) reach it. Backends that do not record simply run {@code step}. Host transfers
     * ({@link #download}) must not happen inside a captured step.
     */
    default void capture(String key, Runnable step) {
        step.run();
    }

    /** Frees every tensor this backend handed out and its threads; the backend is unusable after. */
    @Override
    void close();

    // ---------------------------------------------------------------- elementwise helpers

    /** {@code t[i] = value}. */
    void fill(Tensor t, float value);

    /** {@code dst[i] = src[i]}; shapes must have the same size. */
    void copy(Tensor src, Tensor dst);

    /** {@code y[i] += alpha * x[i]}. */
    void axpy(float alpha, Tensor x, Tensor y);

    /** {@code t[i] *= alpha}. */
    void scale(Tensor t, float alpha);

    /** {@code out[0] = sum_i t[i]}, accumulated in double or pairwise; {@code out} is {@code [1]}. */
    void sum(Tensor t, Tensor out);

    // ---------------------------------------------------------------- GEMM and linear

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C}, where {@code op(X)} is {@code X} or its
     * transpose. {@code op(A)} is {@code [M, K]}, {@code op(B)} is {@code [K, N]}, {@code C} is
     * {@code [M, N]}; all three are rank-2. When {@code beta == 0}, {@code C} is not read (NaN in C
     * does not propagate), as in BLAS.
     */
    void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c);

    /**
     * {@code torch.nn.functional.linear}: {@code y = x * W^T + b}. x {@code [N, in]}, weight
     * {@code [out, in]}, bias {@code [out]} (or null), y {@code [N, out]}.
     */
    void linearForward(Tensor x, Tensor weight, Tensor bias, Tensor y);

    /**
     * Backward of {@link #linearForward}: {@code gradX = gradY * W} ({@code [N, in]}, skipped when
     * null), {@code gradWeight = gradY^T * x} ({@code [out, in]}), {@code gradBias = sum_n gradY}
     * ({@code [out]}, skipped when null). All overwritten.
     */
    void linearBackward(Tensor x, Tensor weight, Tensor gradY, Tensor gradX, Tensor gradWeight, Tensor gradBias);

    // ---------------------------------------------------------------- convolution

    /**
     * {@code torch.nn.functional.conv2d} with groups 1, dilation 1:
     * {@code y[n,f,oh,ow] = bias[f] + sum_{c,kh,kw} w[f,c,kh,kw] * x[n,c,oh*s-p+kh, ow*s-p+kw]}
     * with zero padding. input {@code [N, C, H, W]}, weight {@code [F, C, KH, KW]}, bias {@code [F]}
     * or null, output {@code [N, F, OH, OW]} where {@code OH = (H + 2p - KH) / s + 1} (floor).
     */
    void conv2dForward(Tensor input, Tensor weight, Tensor bias, Conv2dSpec spec, Tensor output);

    /**
     * {@link #conv2dForward} then {@link #reluForward} in place: {@code output = max(conv2d(input,
     * weight) + bias, 0)}, the inference path's convolution (batch norm folded into weight and bias).
     * Shapes and checks are {@link #conv2dForward}'s. A backend may apply the ReLU in the
     * convolution's epilogue, while the output is still in cache, instead of a second pass.
     */
    default void conv2dReluForward(Tensor input, Tensor weight, Tensor bias, Conv2dSpec spec, Tensor output) {
        conv2dForward(input, weight, bias, spec, output);
        reluForward(output, output);
    }

    /** Gradient of {@link #conv2dForward} with respect to its input: gradInput {@code [N, C, H, W]}, overwritten. */
    void conv2dBackwardInput(Tensor gradOutput, Tensor weight, Conv2dSpec spec, Tensor gradInput);

    /**
     * Gradients of {@link #conv2dForward} with respect to weight {@code [F, C, KH, KW]} and bias
     * {@code [F]} (skipped when null): {@code gradBias[f] = sum_{n,oh,ow} gradOutput[n,f,oh,ow]}.
     * Both overwritten. {@code input} is the forward's input.
     */
    void conv2dBackwardWeight(Tensor input, Tensor gradOutput, Conv2dSpec spec, Tensor gradWeight, Tensor gradBias);

    // ---------------------------------------------------------------- batch norm

    /**
     * {@code BatchNorm2d} in training mode over {@code [N, C, H, W]}: per channel, the batch mean
     * and biased variance over {@code N*H*W} normalise,
     * {@code y = (x - mean) / sqrt(var + eps) * gamma + beta}; the running stats are updated in
     * place, {@code running = (1 - momentum) * running + momentum * stat}, with the <b>unbiased</b>
     * variance ({@code * M / (M - 1)}, {@code M = N*H*W}). gamma, beta, runningMean, runningVar,
     * saveMean, saveInvStd are {@code [C]}; saveMean and saveInvStd ({@code 1/sqrt(var + eps)}) are
     * written for the backward. {@code y} must not alias {@code x}: the backward needs x.
     */
    void batchNormTrainForward(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                               float momentum, float eps, Tensor y, Tensor saveMean, Tensor saveInvStd);

    /** {@code BatchNorm2d} in eval mode: {@code y = (x - runningMean) / sqrt(runningVar + eps) * gamma + beta}. */
    void batchNormInferenceForward(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                   float eps, Tensor y);

    /**
     * Backward of {@link #batchNormTrainForward} with batch statistics: with
     * {@code xhat = (x - mean) * invStd}, {@code gradBeta = sum gradY}, {@code gradGamma = sum gradY * xhat},
     * {@code gradX = gamma * invStd / M * (M * gradY - gradBeta - xhat * gradGamma)}. All overwritten.
     */
    void batchNormBackward(Tensor x, Tensor gradY, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
                           Tensor gradX, Tensor gradGamma, Tensor gradBeta);

    // ---------------------------------------------------------------- activations, pooling, dropout

    /** {@code y = max(x, 0)}, NaN passes through (as PyTorch); {@code y} may alias {@code x} (in place). */
    void reluForward(Tensor x, Tensor y);

    /** {@code gradX = y > 0 ? gradY : 0} where {@code y} is the forward's output; gradX may alias gradY. */
    void reluBackward(Tensor y, Tensor gradY, Tensor gradX);

    /**
     * {@code MaxPool2d(kernel 2, stride 2)}, floor mode: x {@code [N, C, H, W]}, y
     * {@code [N, C, H/2, W/2]}. {@code argmax} (shape of y) receives the position of the maximum
     * inside its 2x2 window, {@code 0..3} as {@code dy*2+dx}; on ties the first in that order wins
     * (as PyTorch's CPU kernel). NaN wins over numbers.
     */
    void maxPool2dForward(Tensor x, Tensor y, Tensor argmax);

    /** Routes gradY to the argmax position of each window; every other element of gradX is 0. */
    void maxPool2dBackward(Tensor gradY, Tensor argmax, Tensor gradX);

    /**
     * {@code torch.nn.AdaptiveAvgPool2d((OH, OW))}: x {@code [N, C, H, W]} -> y {@code [N, C, OH, OW]},
     * the output size taken from y's shape. Output {@code (i, j)} is the mean of input rows
     * {@code floor(i*H/OH) .. ceil((i+1)*H/OH) - 1} and columns {@code floor(j*W/OW) ..
     * ceil((j+1)*W/OW) - 1} (see {@link AdaptivePoolWindow}): windows overlap when OH does not divide
     * H, OH > H repeats input rows (1x1 -> 7x7 copies each value to 49 outputs), and OH = H, OW = W
     * is the identity. Any H, W, OH, OW >= 1.
     */
    void adaptiveAvgPool2dForward(Tensor x, Tensor y);

    /**
     * Backward of {@link #adaptiveAvgPool2dForward}: gradY {@code [N, C, OH, OW]}, gradX
     * {@code [N, C, H, W]} (overwritten); {@code gradX[n,c,h,w]} is the sum of
     * {@code gradY[n,c,i,j] / (window rows * window columns)} over the outputs whose window holds
     * {@code (h, w)}.
     */
    void adaptiveAvgPool2dBackward(Tensor gradY, Tensor gradX);

    /**
     * Inverted dropout: element {@code i} is kept when
     * {@link dev.vgg4j.core.CounterRng#keep CounterRng.keep(seed, i, p)}; {@code mask[i]} is
     * {@code 1/(1-p)} when kept, else 0, and {@code y = x * mask}. {@code 0 <= p < 1}. The caller
     * passes a new seed each step.
     */
    void dropoutForward(Tensor x, float p, long seed, Tensor y, Tensor mask);

    /** {@code gradX = gradY * mask}. */
    void dropoutBackward(Tensor gradY, Tensor mask, Tensor gradX);

    // ---------------------------------------------------------------- loss

    /**
     * {@code torch.nn.functional.cross_entropy} on logits {@code [N, K]} with integer labels
     * {@code [N]} (see {@link #uploadLabels}). Writes {@code result[0]} = the loss (sum or mean over
     * the batch of {@code -log softmax(logits)[label]}) and {@code result[1]} = the number of rows
     * whose argmax equals the label (first maximum wins). {@code result} is {@code [2]} so that it
     * stays on the device until downloaded. Labels must be in {@code 0..K-1}; a host backend throws
     * on others, a device backend may give an undefined loss for them. {@code gradLogits} ({@code [N, K]}, or null to skip)
     * receives d loss / d logits = {@code softmax - onehot}, divided by N for mean.
     */
    void softmaxCrossEntropy(Tensor logits, Tensor labels, Reduction reduction, Tensor result, Tensor gradLogits);

    // ---------------------------------------------------------------- loss scaling

    /**
     * {@code GradScaler}'s unscale of one gradient, as {@code torch._amp_foreach_non_finite_check_and_unscale_}:
     * {@code foundInf[0] = 1} when any {@code grad[i]} is infinite or NaN, and {@code grad[i] *= invScale}
     * in place. foundInf ({@code [1]}) is otherwise left as it is, so that one foundInf, zeroed by the
     * caller, collects a whole step's gradients.
     */
    void unscaleAndCheckFinite(Tensor grad, float invScale, Tensor foundInf);

    // ---------------------------------------------------------------- optimizers

    /**
     * One {@code torch.optim.Adam} (or AdamW when {@code params.decoupled()}) step, in place on
     * param, m and v, with {@code step} = 1 for the first update:
     * <pre>
     * g = grad (+ weightDecay * param, Adam only)
     * param *= 1 - lr * weightDecay           (AdamW only)
     * m = beta1 * m + (1 - beta1) * g
     * v = beta2 * v + (1 - beta2) * g * g
     * param -= lr / (1 - beta1^step) * m / (sqrt(v) / sqrt(1 - beta2^step) + eps)
     * </pre>
     */
    void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, AdamParams params, int step);

    /**
     * One {@code torch.optim.SGD} step in place:
     * <pre>
     * g = grad + weightDecay * param
     * if momentum != 0: buf = firstStep ? g : momentum * buf + (1 - dampening) * g
     *                   g = nesterov ? g + momentum * buf : buf
     * param -= lr * g
     * </pre>
     * {@code momentumBuffer} may be null when momentum is 0.
     */
    void sgdStep(Tensor param, Tensor grad, Tensor momentumBuffer, SgdParams params, boolean firstStep);
}
