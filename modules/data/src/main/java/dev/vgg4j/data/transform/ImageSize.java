package dev.vgg4j.data.transform;

import dev.vgg4j.core.Sizes;

/** The size of one image, {@code [C, H, W]}. */
public record ImageSize(int channels, int height, int width) {
    public ImageSize {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("image size " + channels + "x" + height + "x" + width
                    + " must be positive in every dimension");
        }
        long elements = Sizes.saturatedProduct(channels, height, width);
        if (elements > Sizes.MAX_ARRAY_LENGTH) {
            throw new IllegalArgumentException("image size " + channels + "x" + height + "x" + width + " has "
                    + Sizes.describe(elements) + " elements, more than one array holds (" + Sizes.MAX_ARRAY_LENGTH + ")");
        }
    }

    /** Elements per image: {@code C * H * W}, which the constructor checked to fit an array. */
    public int elements() {
        return channels * height * width;
    }

    public ImageSize withSpatial(int newHeight, int newWidth) {
        return new ImageSize(channels, newHeight, newWidth);
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
