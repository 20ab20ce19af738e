package dev.vgg4j.train;

import dev.vgg4j.core.Shape;
import dev.vgg4j.data.Batch;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Tensor;
import java.util.HashMap;
import java.util.Map;

/**
 * The device copies of a batch: images {@code [N, C, H, W]} and labels {@code [N]}, one pair of
 * tensors per batch shape (the full batch and the last partial one), reused every step so that a
 * captured step always sees the same tensors.
 */
final class DeviceBatch implements AutoCloseable {
    private final Backend backend;
    private final Map<Shape, Tensor> images = new HashMap<>();
    private final Map<Integer, Tensor> labels = new HashMap<>();

    DeviceBatch(Backend backend) {
        this.backend = backend;
    }

    /** Uploads {@code batch}; returns its images tensor. */
    Tensor upload(Batch batch) {
        Tensor x = images.computeIfAbsent(batch.shape(), backend::allocate);
        backend.upload(batch.images(), x);
        backend.uploadLabels(batch.labels(), labels(batch.size()));
        return x;
    }

    /** The labels tensor of the last upload of a batch of {@code n} images. */
    Tensor labels(int n) {
        return labels.computeIfAbsent(n, k -> backend.allocate(Shape.of(k)));
    }

    @Override
    public void close() {
        images.values().forEach(Tensor::close);
        labels.values().forEach(Tensor::close);
    }
}
