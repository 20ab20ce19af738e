package dev.vgg4j.data;

import dev.vgg4j.core.Shape;
import dev.vgg4j.data.transform.ImageSize;

/**
 * One batch from a {@link DataLoader}: float images {@code [N, C, H, W]} and their class labels
 * {@code [N]}. The arrays are exactly {@code N * C * H * W} and {@code N} long, ready for
 * {@code Backend.upload} and {@code Backend.uploadLabels}. A loader reuses a batch's arrays: a batch
 * is valid until the next call to {@link DataLoader.Epoch#next()}.
 *
 * @param index  position of the batch within its epoch, from 0
 * @param origin where its rows come from; null for a batch that no loader made
 */
public record Batch(int index, float[] images, int[] labels, ImageSize imageSize, Origin origin) {

    /**
     * Where a loader's batch comes from: epoch {@code epoch}, row {@code i} is image
     * {@code samples[i]} of {@code source} through its pipeline with seed {@code seeds[i]}.
     * Enough to make any of its rows again wherever {@code source} is ({@link BatchSource#batch}).
     */
    public record Origin(BatchSource source, int epoch, int[] samples, long[] seeds) {}

    /** A batch that no loader made (no {@link Origin}). */
    public Batch(int index, float[] images, int[] labels, ImageSize imageSize) {
        this(index, images, labels, imageSize, null);
    }

    public int size() {
        return labels.length;
    }

    /** {@code [N, C, H, W]}. */
    public Shape shape() {
        return Shape.nchw(labels.length, imageSize.channels(), imageSize.height(), imageSize.width());
    }
}
