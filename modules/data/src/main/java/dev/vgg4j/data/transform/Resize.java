package dev.vgg4j.data.transform;


/**
 * Bilinear resize to {@code height x width}, as torchvision's {@code Resize((h, w))} on a float
 * tensor, i.e. {@code F.interpolate(mode="bilinear", align_corners=False)}: output pixel {@code o}
 * samples the input at {@code max((o + 0.5) * in / out - 0.5, 0)}, blending the two neighbours
 * (the upper one clamped at the edge). For upsampling, the recipe's 32 -> 50, torchvision's
 * anti-aliasing changes nothing, so this matches {@code Resize} with or without it. Arithmetic is
 * float, as PyTorch's CPU kernel.
 */
public final class Resize implements ImageTransform {
    private final int height;
    private final int width;

    public Resize(int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("resize target " + height + "x" + width + " must be positive");
        }
        this.height = height;
        this.width = width;
    }

    @Override
    public ImageSize outputSize(ImageSize input) {
        return input.withSpatial(height, width);
    }

    @Override
    public void apply(float[] src, ImageSize input, float[] dst, long sampleSeed) {
        Axis rows = Axis.of(input.height(), height);
        Axis cols = Axis.of(input.width(), width);
        int inPlane = input.height() * input.width();
        int outPlane = height * width;
        for (int c = 0; c < input.channels(); c++) {
            int inBase = c * inPlane;
            int outBase = c * outPlane;
            for (int oy = 0; oy < height; oy++) {
                int row0 = inBase + rows.index[oy] * input.width();
                int row1 = row0 + rows.step[oy] * input.width();
                float wy0 = rows.lambda0[oy];
                float wy1 = rows.lambda1[oy];
                for (int ox = 0; ox < width; ox++) {
                    int x0 = cols.index[ox];
                    int x1 = x0 + cols.step[ox];
                    float wx0 = cols.lambda0[ox];
                    float wx1 = cols.lambda1[ox];
                    dst[outBase + oy * width + ox] = wy0 * (wx0 * src[row0 + x0] + wx1 * src[row0 + x1])
                            + wy1 * (wx0 * src[row1 + x0] + wx1 * src[row1 + x1]);
                }
            }
        }
    }

    /** Per output coordinate: the lower input index, 1 if an upper neighbour exists, and the two weights. */
    private record Axis(int[] index, int[] step, float[] lambda0, float[] lambda1) {
        static Axis of(int in, int out) {
            float ratio = (float) in / out;
            int[] index = new int[out];
            int[] step = new int[out];
            float[] lambda0 = new float[out];
            float[] lambda1 = new float[out];
            for (int o = 0; o < out; o++) {
                float real = Math.max(ratio * (o + 0.5f) - 0.5f, 0f);
                index[o] = (int) real;
                step[o] = index[o] < in - 1 ? 1 : 0;
                lambda1[o] = Math.min(real - index[o], 1f);
                lambda0[o] = 1f - lambda1[o];
            }
            return new Axis(index, step, lambda0, lambda1);
        }
    }

    @Override
    public String toString() {
        return "Resize(" + height + ", " + width + ")";
    }
}
