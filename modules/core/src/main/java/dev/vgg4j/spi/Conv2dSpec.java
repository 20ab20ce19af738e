package dev.vgg4j.spi;

/** Stride and zero padding of a 2-D convolution (the kernel size comes from the weight's shape). */
public record Conv2dSpec(int stride, int padding) {
    /** VGG's convolution: 3x3 kernels, stride 1, padding 1. */
    public static final Conv2dSpec VGG = new Conv2dSpec(1, 1);

    public Conv2dSpec {
        if (stride < 1 || padding < 0) {
            throw new IllegalArgumentException("conv2d needs stride >= 1 and padding >= 0, got stride "
                    + stride + ", padding " + padding);
        }
    }

    /** Output size along one axis: {@code floor((in + 2*padding - kernel) / stride) + 1}. */
    public int outputSize(int in, int kernel) {
        return (in + 2 * padding - kernel) / stride + 1;
    }
}
