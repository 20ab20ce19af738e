package dev.vgg4j.data;

import dev.vgg4j.data.transform.ImagePipeline;
import dev.vgg4j.data.transform.ImageSize;
import java.io.Serializable;

/**
 * What a {@link DataLoader} makes its batches from: a dataset and the per-image pipeline.
 * Serializable, so that a data-parallel engine can ship it to its replicas once and have each
 * make its own rows of a batch from the batch's {@link Batch.Origin}, bit for bit as the loader
 * made them (the pipeline's randomness is a function of each row's seed only).
 */
public record BatchSource(Dataset dataset, ImagePipeline pipeline) implements Serializable {

    /** The size of each image after the pipeline, {@code [C, H, W]}. */
    public ImageSize imageSize() {
        return pipeline.outputSize(dataset.imageSize());
    }

    /**
     * Batch {@code index} made of dataset images {@code samples}, image {@code i} through the
     * pipeline with seed {@code seeds[i]}: images {@code [n, C, H, W]}, labels {@code [n]}.
     */
    public Batch batch(int index, int[] samples, long[] seeds) {
        ImageSize out = imageSize();
        Batch batch = new Batch(index, new float[samples.length * out.elements()], new int[samples.length], out);
        fill(samples, seeds, pipeline.newScratch(dataset.imageSize()), new byte[dataset.imageBytes()], batch);
        return batch;
    }

    /** {@link #batch}'s rows into {@code into}'s arrays, with a thread's own scratch and pixel buffer. */
    void fill(int[] samples, long[] seeds, ImagePipeline.Scratch scratch, byte[] pixels, Batch into) {
        int elements = into.imageSize().elements();
        for (int i = 0; i < samples.length; i++) {
            dataset.copyImage(samples[i], pixels, 0);
            scratch.process(pixels, 0, into.images(), i * elements, seeds[i]);
            into.labels()[i] = dataset.label(samples[i]);
        }
    }
}
