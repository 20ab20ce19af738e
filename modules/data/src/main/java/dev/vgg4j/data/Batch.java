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
 */
public record Batch(int index, float[] images, int[] labels, ImageSize imageSize) {

    public int size() {
        return labels.length;
    }

    /** {@code [N, C, H, W]}. */
    public Shape shape() {
        return Shape.nchw(labels.length, imageSize.channels(), imageSize.height(), imageSize.width());
    }
}
