package dev.vgg4j.data.transform;

import dev.vgg4j.core.CounterRng;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-image preprocessing of a data loader: uint8 pixels to floats in {@code [0, 1]}
 * (torchvision's {@code ToTensor}, {@code x / 255}), then each {@link ImageTransform} in order.
 * The recipe's is {@code ImagePipeline.of(new Resize(50, 50), Normalize.uniform(3, 0.5f, 0.5f))}.
 * Immutable, thread-safe and serializable; each thread works in its own {@link Scratch}.
 */
public final class ImagePipeline implements Serializable {
    private final List<ImageTransform> transforms;

    private ImagePipeline(List<ImageTransform> transforms) {
        this.transforms = List.copyOf(transforms);
    }

    public static ImagePipeline of(ImageTransform... transforms) {
        return new ImagePipeline(List.of(transforms));
    }

    public static ImagePipeline of(List<ImageTransform> transforms) {
        return new ImagePipeline(transforms);
    }

    /** The recipe's preprocessing: resize to {@code size x size} (skipped when it is the input size), normalize (0.5, 0.5). */
    public static ImagePipeline recipe(ImageSize input, int size) {
        return recipe(input, size, size);
    }

    /** As {@link #recipe(ImageSize, int)} to {@code height x width}. */
    public static ImagePipeline recipe(ImageSize input, int height, int width) {
        List<ImageTransform> steps = new ArrayList<>();
        if (input.height() != height || input.width() != width) {
            steps.add(new Resize(height, width));
        }
        steps.add(Normalize.uniform(input.channels(), 0.5f, 0.5f));
        return new ImagePipeline(steps);
    }

    public List<ImageTransform> transforms() {
        return transforms;
    }

    public ImageSize outputSize(ImageSize input) {
        ImageSize size = input;
        for (ImageTransform t : transforms) {
            size = t.outputSize(size);
        }
        return size;
    }

    /** Buffers for one thread, sized for the largest intermediate image. */
    public Scratch newScratch(ImageSize input) {
        int largest = input.elements();
        ImageSize size = input;
        for (ImageTransform t : transforms) {
            size = t.outputSize(size);
            largest = Math.max(largest, size.elements());
        }
        return new Scratch(input, new float[largest], new float[largest]);
    }

    /** Working buffers of one thread; not thread-safe. */
    public final class Scratch {
        private final ImageSize input;
        private float[] current;
        private float[] next;

        private Scratch(ImageSize input, float[] current, float[] next) {
            this.input = input;
            this.current = current;
            this.next = next;
        }

        /**
         * Processes one image: {@code input.elements()} bytes of {@code pixels} from
         * {@code pixelOffset} in, {@code outputSize(input).elements()} floats to {@code out} from
         * {@code outOffset}. Transform {@code k} draws its randomness from
         * {@code CounterRng.hash(sampleSeed, k)}.
         */
        public void process(byte[] pixels, int pixelOffset, float[] out, int outOffset, long sampleSeed) {
            int n = input.elements();
            for (int i = 0; i < n; i++) {
                current[i] = (pixels[pixelOffset + i] & 0xFF) / 255f;
            }
            ImageSize size = input;
            for (int k = 0; k < transforms.size(); k++) {
                ImageTransform t = transforms.get(k);
                t.apply(current, size, next, CounterRng.hash(sampleSeed, k));
                size = t.outputSize(size);
                float[] swap = current;
                current = next;
                next = swap;
            }
            System.arraycopy(current, 0, out, outOffset, size.elements());
        }
    }

    @Override
    public String toString() {
        return "ImagePipeline" + transforms;
    }
}
