package dev.vgg4j.tck;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Conv2dSpec;

/** One convolution's sizes: input [N, C, H, W], weight [F, C, K, K], stride and zero padding. */
public record ConvCase(int n, int c, int h, int w, int f, int k, int stride, int padding) {

    public Conv2dSpec spec() {
        return new Conv2dSpec(stride, padding);
    }

    public Shape input() {
        return Shape.nchw(n, c, h, w);
    }

    public Shape weight() {
        return Shape.nchw(f, c, k, k);
    }

    public Shape output() {
        return Shape.nchw(n, f, spec().outputSize(h, k), spec().outputSize(w, k));
    }

    /** Products summed per output element: C * K * K. */
    public int taps() {
        return c * k * k;
    }

    @Override
    public String toString() {
        return "x[" + n + "," + c + "," + h + "," + w + "] w[" + f + "," + c + "," + k + "," + k + "] s" + stride
                + " p" + padding;
    }
}
