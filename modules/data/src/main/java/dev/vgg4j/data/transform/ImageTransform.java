package dev.vgg4j.data.transform;

import java.io.Serializable;

/**
 * One step of per-image preprocessing on float pixels {@code [C, H, W]}, as a torchvision
 * transform on a tensor. Implementations are immutable and thread-safe: loader threads share them,
 * and serializable: a data-parallel engine ships them to its replicas with the dataset.
 */
public interface ImageTransform extends Serializable {

    /** The size of the image {@link #apply} writes for an input of size {@code input}. */
    ImageSize outputSize(ImageSize input);

    /**
     * Reads {@code src} ({@code input.elements()} floats from index 0) and writes
     * {@code outputSize(input).elements()} floats to {@code dst} from index 0; the two do not alias.
     * A random transform takes all its randomness from {@code sampleSeed} through
     * {@link dev.vgg4j.core.CounterRng}, so the result does not depend on which thread runs it.
     */
    void apply(float[] src, ImageSize input, float[] dst, long sampleSeed);
}
