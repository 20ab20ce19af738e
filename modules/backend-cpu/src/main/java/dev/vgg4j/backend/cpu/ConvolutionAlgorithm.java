package dev.vgg4j.backend.cpu;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Conv2dSpec;

/**
 * One way to compute a 2-D convolution and its two gradients on heap arrays (offsets are 0). The
 * backend picks an algorithm per layer shape: im2col + GEMM today, with room for 3x3 Winograd.
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
}
