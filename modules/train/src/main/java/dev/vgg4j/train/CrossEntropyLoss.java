package dev.vgg4j.train;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Reduction;
import dev.vgg4j.spi.Tensor;

/**
 * {@code nn.CrossEntropyLoss(reduction)} on logits {@code [N, K]} and integer labels {@code [N]},
 * through {@link Backend#softmaxCrossEntropy}. The loss and the count of correct predictions stay
 * on the device in a {@code [2]} tensor until {@link #downloadResult()}, so a captured training
 * step contains no host transfer.
 */
public final class CrossEntropyLoss implements AutoCloseable {
    private final Backend backend;
    private final Reduction reduction;
    private final Tensor result;
    private final float[] host = new float[2];
    private Tensor gradLogits;
    private int lastBatchSize;

    public CrossEntropyLoss(Backend backend, Reduction reduction) {
        this.backend = backend;
        this.reduction = reduction;
        this.result = backend.allocate(Shape.of(2), 0f);
    }

    public Reduction reduction() {
        return reduction;
    }

    /** Loss and d loss / d logits {@code [N, K]}; the gradient tensor is owned here and reused. */
    public Tensor forwardBackward(Tensor logits, Tensor labels) {
        backend.softmaxCrossEntropy(logits, labels, reduction, result, gradFor(logits.shape()));
        lastBatchSize = logits.shape().n();
        return gradLogits;
    }

    /** Loss only, for evaluation. */
    public void forward(Tensor logits, Tensor labels) {
        backend.softmaxCrossEntropy(logits, labels, reduction, result, null);
        lastBatchSize = logits.shape().n();
    }

    /**
     * The last batch's result (a sync point). {@code summedLoss} is the loss summed over the
     * batch whatever the reduction, so that epoch losses are sums over samples divided by their
     * number, as the recipe computes them.
     */
    public Result downloadResult() {
        backend.download(result, host);
        double loss = host[0];
        double summed = reduction == Reduction.SUM ? loss : loss * lastBatchSize;
        return new Result(summed, Math.round(host[1]), lastBatchSize);
    }

    /** One batch's summed loss, correct predictions and size. */
    public record Result(double summedLoss, long correct, int samples) {
        public boolean isFinite() {
            return Double.isFinite(summedLoss);
        }
    }

    private Tensor gradFor(Shape shape) {
        if (gradLogits == null || !gradLogits.shape().equals(shape)) {
            if (gradLogits != null) {
                gradLogits.close();
            }
            gradLogits = backend.allocate(shape);
        }
        return gradLogits;
    }

    @Override
    public void close() {
        result.close();
        if (gradLogits != null) {
            gradLogits.close();
        }
    }
}
