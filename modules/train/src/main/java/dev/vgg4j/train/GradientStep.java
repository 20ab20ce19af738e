package dev.vgg4j.train;

import dev.vgg4j.data.Batch;
import dev.vgg4j.model.Model;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Reduction;
import dev.vgg4j.spi.Tensor;

/**
 * A training step without the optimizer: forward in training mode, cross-entropy, backward. After
 * {@link #compute} every {@code Parameter.grad()} of the model holds d loss / d parameter
 * (overwritten, not accumulated); applying them is {@link Optimizer#step()}'s job, called
 * separately. A data-parallel trainer runs it on each replica's shard, sums the gradients over
 * the replicas, and applies the same optimizer step everywhere:
 * <pre>{@code
 * CrossEntropyLoss.Result r = step.compute(shardBatch, new Shard(firstRow, globalBatchSize));
 * ... sum every model.parameters().get(i).grad() over the replicas ...
 * optimizer.step();
 * }</pre>
 * <b>Loss reduction.</b> With {@link Reduction#SUM} the loss is summed over the shard's rows, so
 * the shards' gradients add up to the global batch's. With {@link Reduction#MEAN} it is divided
 * by the <em>global</em> batch's row count ({@link Shard#globalRows()}), not the shard's; for a
 * whole batch this is the backend's own mean, for a shard the summed gradient scaled by
 * {@code 1/globalRows} (equal to the whole batch's within float rounding).
 *
 * <p><b>What a shard cannot reproduce.</b> Dropout masks are the global batch's rows (see
 * {@link Shard}), but batch norm normalises with the shard's own statistics and updates the
 * replica's running statistics from them, as PyTorch's DistributedDataParallel without SyncBatchNorm
 * does; a model without batch norm gets the global batch's gradients, up to summation order.
 */
public final class GradientStep implements AutoCloseable {
    private final Model model;
    private final Backend backend;
    private final CrossEntropyLoss loss;
    private final DeviceBatch deviceBatch;
    /** Loss scaling of the trainer's step, or null for none. */
    private final LossScaler scaler;

    /** Steps {@code model} with the cross-entropy {@code reduction} (the recipe's is {@link Reduction#SUM}). */
    public GradientStep(Model model, Reduction reduction) {
        this(model, reduction, null);
    }

    /** With {@code scaler} (or null): the loss gradient scaled before the backward, the gradients unscaled after. */
    GradientStep(Model model, Reduction reduction, LossScaler scaler) {
        this.model = model;
        this.backend = model.backend();
        this.loss = new CrossEntropyLoss(backend, reduction);
        this.deviceBatch = new DeviceBatch(backend);
        this.scaler = scaler;
    }

    public Model model() {
        return model;
    }

    public Reduction reduction() {
        return loss.reduction();
    }

    /** The gradients of a whole batch; returns its summed loss, correct predictions and size (a sync point). */
    public CrossEntropyLoss.Result compute(Batch batch) {
        return compute(batch, Shard.whole(batch.size()));
    }

    /**
     * The gradients of {@code batch}, rows {@code shard.firstRow()..} of a global batch of
     * {@code shard.globalRows()}; switches the model to training mode. Returns the shard's summed
     * loss, correct predictions and size (a sync point).
     */
    public CrossEntropyLoss.Result compute(Batch batch, Shard shard) {
        Tensor images = upload(batch);
        Tensor labels = deviceBatch.labels(batch.size());
        model.train(true);
        backend.capture(captureKey("gradient-step-", batch, shard), () -> run(images, labels, shard));
        return loss.downloadResult();
    }

    /**
     * The whole batch's gradients then {@code optimizer}'s step, captured together: the trainer's
     * step. With loss scaling the step is captured apart, after the gradients were read as finite
     * (the skip is decided on the host, as GradScaler's {@code step} does).
     */
    CrossEntropyLoss.Result computeAndApply(Batch batch, Optimizer optimizer) {
        Tensor images = upload(batch);
        Tensor labels = deviceBatch.labels(batch.size());
        Shard whole = Shard.whole(batch.size());
        if (scaler == null) {
            backend.capture(captureKey("train-step-", batch, whole), () -> {
                run(images, labels, whole);
                optimizer.step();
            });
            return loss.downloadResult();
        }
        backend.capture(captureKey("scaled-gradient-step-", batch, whole), () -> run(images, labels, whole));
        CrossEntropyLoss.Result result = loss.downloadResult();
        if (scaler.update()) {
            backend.capture("optimizer-step", optimizer::step);
        }
        return result;
    }

    /** Uploads {@code batch}; returns its images {@code [N, C, H, W]} (labels: {@link #labels}). */
    Tensor upload(Batch batch) {
        return deviceBatch.upload(batch);
    }

    /** The labels {@code [N]} of the last upload of a batch of {@code n} images. */
    Tensor labels(int n) {
        return deviceBatch.labels(n);
    }

    /** The loss, also used to evaluate. */
    CrossEntropyLoss loss() {
        return loss;
    }

    /** Device ops only, so that it can run inside a captured step. */
    private void run(Tensor images, Tensor labels, Shard shard) {
        int rows = images.shape().n();
        shard.check(rows);
        model.dropoutSeeds().firstRow(shard.firstRow());
        Tensor logits = model.forward(images);
        Tensor gradLogits = loss.forwardBackward(logits, labels, shard.globalRows());
        if (scaler != null) {
            scaler.scale(gradLogits);
        }
        model.backward(gradLogits);
        if (scaler != null) {
            scaler.unscale(model.parameters());
        }
    }

    /** One capture per batch shape and per kind of loss scaling (a shard's mean scales, a whole batch's does not). */
    private String captureKey(String kind, Batch batch, Shard shard) {
        boolean scaled = loss.reduction() == Reduction.MEAN && !shard.isWhole(batch.size());
        return kind + batch.shape() + (scaled ? "-mean-over-" + shard.globalRows() : "");
    }

    /** Frees the loss and batch tensors; the model belongs to the caller. */
    @Override
    public void close() {
        loss.close();
        deviceBatch.close();
    }
}
