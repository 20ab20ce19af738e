package dev.vgg4j.backend.cpu;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Conv2dSpec;

/**
 * One way to compute a 2-D convolution and its two gradients on heap arrays (offsets are 0). The
 * backend picks an algorithm per layer: im2col + GEMM for any shape, Winograd for 3x3 stride-1 padding-1.
 * Shapes: x {@code [N, C, H, W]}, w {@code [F, C, KH, KW]}, y {@code [N, F, OH, OW]}.
 */
interface ConvolutionAlgorithm {

    /** Whether this algorithm handles the layer (e.g. Winograd: 3x3 kernels, stride 1 only). */
    boolean supports(Shape input, Shape weight, Conv2dSpec spec);

    /** {@code y = conv(x, w) + bias} (bias may be null). */
    void forward(float[] x, Shape input, float[] w, Shape weight, float[] bias, Conv2dSpec spec, float[] y);

    /** {@code gx = conv_transpose(gy, w)}, overwritten. */
    void backwardInput(float[] gy, float[] w, Shape weight, Conv2dSpec spec, float[] gx, Shape input);

    /** {@code gw = sum_n gy[n] * unfold(x[n])^T} and {@code gb = sum gy} per filter (gb may be null), overwritten. */
    void backwardWeight(float[] x, Shape input, float[] gy, Conv2dSpec spec, float[] gw, Shape weight, float[] gb);

    /** {@code gb[f] = sum_{n,p} gy[n, f, p]} for gy {@code [images, filters, positions]}, summed in double. */
    static void biasGradient(float[] gy, int images, int filters, int positions, float[] gb) {
        for (int f = 0; f < filters; f++) {
            double s = 0;
            for (int n = 0; n < images; n++) {
                s += Elementwise.sum(gy, (n * filters + f) * positions, positions);
            }
            gb[f] = (float) s;
        }
    }
}
