package dev.vgg4j.data.transform;

import dev.vgg4j.core.CounterRng;

/** torchvision's {@code RandomHorizontalFlip(p)}: mirrors the image left-right with probability {@code p}. */
public final class RandomHorizontalFlip implements ImageTransform {
    private final float probability;

    public RandomHorizontalFlip(float probability) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("flip probability must be in [0, 1], got " + probability);
        }
        this.probability = probability;
    }

    @Override
    public ImageSize outputSize(ImageSize input) {
        return input;
    }

    @Override
    public void apply(float[] src, ImageSize input, float[] dst, long sampleSeed) {
        boolean flip = CounterRng.uniform(sampleSeed, 0) < probability;
        int w = input.width();
        int rows = input.channels() * input.height();
        for (int r = 0; r < rows; r++) {
            int base = r * w;
            for (int x = 0; x < w; x++) {
                dst[base + x] = src[base + (flip ? w - 1 - x : x)];
            }
        }
    }

    @Override
    public String toString() {
        return "RandomHorizontalFlip(" + probability + ")";
    }
}
