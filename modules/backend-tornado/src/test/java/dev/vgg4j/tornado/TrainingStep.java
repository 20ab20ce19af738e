package dev.vgg4j.tornado;

import dev.vgg4j.core.Shape;
import dev.vgg4j.model.Vgg;
import dev.vgg4j.model.VggConfig;
import dev.vgg4j.spi.AdamParams;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Reduction;
import dev.vgg4j.spi.Tensor;
import dev.vgg4j.train.Adam;
import dev.vgg4j.train.CrossEntropyLoss;
import java.util.SplittableRandom;

/**
 * The trainer's step, on any backend: image bytes and labels in, forward, cross-entropy (sum, as
 * the recipe), backward, Adam, loss and correct count out. Batches are random but seeded, so two
 * backends see the same data.
 */
final class TrainingStep implements AutoCloseable {
    private final Backend backend;
    private final Vgg model;
    private final CrossEntropyLoss loss;
    private final Adam optimizer;
    private final Tensor images;
    private final Tensor labels;
    private final byte[] hostImages;
    private final int[] hostLabels;
    private final SplittableRandom random;
    private final int classes;

    TrainingStep(Backend backend, VggConfig config, int batch, long dataSeed) {
        this.backend = backend;
        this.model = Vgg.create(backend, config);
        this.loss = new CrossEntropyLoss(backend, Reduction.SUM);
        this.optimizer = new Adam(backend, model.parameters(), AdamParams.adam(1e-4f));
        Shape imageShape = config.inputShape(batch);
        this.images = backend.allocate(imageShape);
        this.labels = backend.allocate(Shape.of(batch));
        this.hostImages = new byte[imageShape.size()];
        this.hostLabels = new int[batch];
        this.random = new SplittableRandom(dataSeed);
        this.classes = config.numClasses();
        model.train(true);
    }

    /** One step on the next random batch; returns the summed loss and correct count. */
    CrossEntropyLoss.Result run() {
        for (int i = 0; i < hostImages.length; i++) {
            hostImages[i] = (byte) random.nextInt(256);
        }
        for (int i = 0; i < hostLabels.length; i++) {
            hostLabels[i] = random.nextInt(classes);
        }
        backend.upload(hostImages, 2f / 255f, -1f, images);
        backend.uploadLabels(hostLabels, labels);
        backend.capture("train-step", () -> {
            Tensor logits = model.forward(images);
            model.backward(loss.forwardBackward(logits, labels));
            optimizer.step();
        });
        return loss.downloadResult();
    }

    /** Every parameter's values, downloaded, in the model's order. */
    float[][] parameterValues() {
        return model.parameters().stream().map(p -> backend.download(p.value())).toArray(float[][]::new);
    }

    long parameterCount() {
        return model.config().parameterCount();
    }

    @Override
    public void close() {
        optimizer.close();
        loss.close();
        model.close();
        images.close();
        labels.close();
    }
}
