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
    /** d (summed loss) / d logits of a shard whose mean is over more rows; allocated on first use. */
    private Tensor summedGrad;
    private int lastBatchSize;
    private boolean lastWasSummed;

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
        return forwardBackward(logits, labels, logits.shape().n());
    }

    /**
     * As {@link #forwardBackward(Tensor, Tensor)} for {@code N} rows of a batch of {@code meanRows}
     * rows: a mean divides by {@code meanRows}, so the gradients of the parts of a batch sum to the
     * whole batch's. When {@code meanRows != N} the loss is summed by the backend and its gradient
     * scaled by {@code 1/meanRows}.
     */
    public Tensor forwardBackward(Tensor logits, Tensor labels, int meanRows) {
        Shape shape = logits.shape();
        lastBatchSize = shape.n();
        lastWasSummed = reduction == Reduction.MEAN && meanRows != shape.n();
        gradLogits = sized(gradLogits, shape);
        if (!lastWasSummed) {
            backend.softmaxCrossEntropy(logits, labels, reduction, result, gradLogits);
            return gradLogits;
        }
        summedGrad = sized(summedGrad, shape);
        backend.softmaxCrossEntropy(logits, labels, Reduction.SUM, result, summedGrad);
        backend.fill(gradLogits, 0f);
        backend.axpy((float) (1.0 / meanRows), summedGrad, gradLogits);
        return gradLogits;
    }

    /** Loss only, for evaluation. */
    public void forward(Tensor logits, Tensor labels) {
        backend.softmaxCrossEntropy(logits, labels, reduction, result, null);
        lastBatchSize = logits.shape().n();
        lastWasSummed = false;
    }

    /**
     * The last batch's result (a sync point). {@code summedLoss} is the loss summed over the
     * batch whatever the reduction, so that epoch losses are sums over samples divided by their
     * number, as the recipe computes them.
     */
    public Result downloadResult() {
        backend.download(result, host);
        double loss = host[0];
        double summed = reduction == Reduction.SUM || lastWasSummed ? loss : loss * lastBatchSize;
        return new Result(summed, Math.round(host[1]), lastBatchSize);
    }

    /** One batch's summed loss, correct predictions and size. */
    public record Result(double summedLoss, long correct, int samples) {
        public boolean isFinite() {
            return Double.isFinite(summedLoss);
        }
    }

    /** {@code t} when it has {@code shape}, else a new tensor of that shape ({@code t} closed). */
    private Tensor sized(Tensor t, Shape shape) {
        if (t != null && t.shape().equals(shape)) {
            return t;
        }
        if (t != null) {
            t.close();
        }
        return backend.allocate(shape);
    }

    @Override
    public void close() {
        result.close();
        for (Tensor t : new Tensor[] {gradLogits, summedGrad}) {
            if (t != null) {
                t.close();
            }
        }
    }
}
