package dev.vgg4j.data.transform;

import dev.vgg4j.core.CounterRng;

/**
 * torchvision's {@code RandomCrop(size, padding)} with zero fill: the image is padded by
 * {@code padding} zeros on each side, then a {@code height x width} window is cut at a uniformly
 * random offset. Apply it before {@link Normalize}, as torchvision pipelines do, so the padding is
 * black.
 */
public final class RandomCrop implements ImageTransform {
    private final int height;
    private final int width;
    private final int padding;

    public RandomCrop(int height, int width, int padding) {
        if (height < 1 || width < 1 || padding < 0) {
            throw new IllegalArgumentException("RandomCrop " + height + "x" + width + " padding " + padding
                    + ": size must be positive and padding >= 0");
        }
        this.height = height;
        this.width = width;
        this.padding = padding;
    }

    @Override
    public ImageSize outputSize(ImageSize input) {
        if (input.height() + 2 * padding < height || input.width() + 2 * padding < width) {
            throw new IllegalArgumentException("RandomCrop " + height + "x" + width + " is larger than the padded "
                    + input + " image (padding " + padding + ")");
        }
        return input.withSpatial(height, width);
    }

    @Override
    public void apply(float[] src, ImageSize input, float[] dst, long sampleSeed) {
        int top = offset(sampleSeed, 0, input.height() + 2 * padding - height) - padding;
        int left = offset(sampleSeed, 1, input.width() + 2 * padding - width) - padding;
        int inPlane = input.height() * input.width();
        for (int c = 0; c < input.channels(); c++) {
            for (int y = 0; y < height; y++) {
                int sy = top + y;
                int out = (c * height + y) * width;
                for (int x = 0; x < width; x++) {
                    int sx = left + x;
                    boolean inside = sy >= 0 && sy < input.height() && sx >= 0 && sx < input.width();
                    dst[out + x] = inside ? src[c * inPlane + sy * input.width() + sx] : 0f;
                }
            }
        }
    }

    /** Uniform in {@code 0..maxOffset}. */
    private static int offset(long seed, int draw, int maxOffset) {
        return Math.min((int) (CounterRng.uniform(seed, draw) * (maxOffset + 1)), maxOffset);
    }

    @Override
    public String toString() {
        return "RandomCrop(" + height + "x" + width + ", padding=" + padding + ")";
    }
}
