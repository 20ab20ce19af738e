package dev.vgg4j.data.transform;

import java.util.Arrays;

/** torchvision's {@code Normalize(mean, std)}: {@code out[c] = (in[c] - mean[c]) / std[c]} per channel. */
public final class Normalize implements ImageTransform {
    private final float[] mean;
    private final float[] std;

    public Normalize(float[] mean, float[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Normalize needs as many means as stds (one per channel), got "
                    + mean.length + " and " + std.length);
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("Normalize std must be > 0, got " + Arrays.toString(std));
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** The same mean and std for each of {@code channels} channels; the recipe's is (0.5, 0.5). */
    public static Normalize uniform(int channels, float mean, float std) {
        float[] m = new float[channels];
        float[] s = new float[channels];
        Arrays.fill(m, mean);
        Arrays.fill(s, std);
        return new Normalize(m, s);
    }

    @Override
    public ImageSize outputSize(ImageSize input) {
        if (input.channels() != mean.length) {
            throw new IllegalArgumentException("Normalize has " + mean.length + " channel(s), image is " + input);
        }
        return input;
    }

    @Override
    public void apply(float[] src, ImageSize input, float[] dst, long sampleSeed) {
        int plane = input.height() * input.width();
        for (int c = 0; c < input.channels(); c++) {
            float m = mean[c];
            float s = std[c];
            for (int i = c * plane, end = i + plane; i < end; i++) {
                dst[i] = (src[i] - m) / s;
            }
        }
    }

    @Override
    public String toString() {
        return "Normalize(" + Arrays.toString(mean) + ", " + Arrays.toString(std) + ")";
    }
}
