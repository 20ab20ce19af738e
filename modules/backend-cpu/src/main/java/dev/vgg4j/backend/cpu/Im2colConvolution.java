package dev.vgg4j.backend.cpu;

import dev.vgg4j.backend.cpu.Workspace.Slot;
import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Conv2dSpec;
import java.util.Arrays;

/**
 * Convolution as GEMM over an im2col matrix. Images go through in chunks: {@code chunk} images are
 * unfolded side by side into {@code cols [C*KH*KW, chunk*P]} ({@code P = OH*OW}), so that layers
 * with small feature maps (VGG's 4x4 and 2x2 at 32x32 input) still give the GEMM a wide N. With
 * one image per chunk the GEMM writes straight into y; with more, its {@code [F, chunk*P]} result
 * is regrouped into {@code [chunk, F, P]}.
 */
final class Im2colConvolution implements ConvolutionAlgorithm {
    /** GEMM width (chunk * P) to aim for: wide enough for full NR panels on both threads. */
    private static final int TARGET_COLUMNS = 1024;

    private final PackedGemm gemm;
    private final WorkerPool pool;
    private final Workspace workspace;

    Im2colConvolution(PackedGemm gemm, WorkerPool pool, Workspace workspace) {
        this.gemm = gemm;
        this.pool = pool;
        this.workspace = workspace;
    }

    @Override
    public boolean supports(Shape input, Shape weight, Conv2dSpec spec) {
        return true;
    }

    private static Im2col unfolding(Shape input, Shape weight, Conv2dSpec spec) {
        int kh = weight.dim(2);
        int kw = weight.dim(3);
        return new Im2col(input.c(), input.h(), input.w(), kh, kw, spec.stride(), spec.padding(),
                spec.outputSize(input.h(), kh), spec.outputSize(input.w(), kw));
    }

    /** How a call walks its images: the unfolding, the images per chunk and the reused column buffer. */
    private record Chunking(Im2col unfolding, int filters, int chunk, float[] cols) {}

    private Chunking chunking(Shape input, Shape weight, Conv2dSpec spec) {
        Im2col u = unfolding(input, weight, spec);
        int chunk = Math.max(1, Math.min(input.n(), TARGET_COLUMNS / u.positions()));
        return new Chunking(u, weight.dim(0), chunk, workspace.get(Slot.COLUMNS, u.rows() * chunk * u.positions()));
    }

    /**
     * The output gradient of images {@code n0 .. n0+count} as a {@code [F, count*P]} matrix: gy itself
     * for one image, else regrouped into the GROUPED workspace (offset 0).
     */
    private float[] gradientColumns(float[] gy, int n0, int count, int filters, int p) {
        if (count == 1) {
            return gy;
        }
        float[] g = workspace.get(Slot.GROUPED, filters * count * p);
        group(gy, n0 * filters * p, count, filters, p, g);
        return g;
    }

    @Override
    public void forward(float[] x, Shape input, float[] w, Shape weight, float[] bias, Conv2dSpec spec, float[] y) {
        Chunking k = chunking(input, weight, spec);
        Im2col u = k.unfolding();
        int filters = k.filters();
        int p = u.positions();
        int images = input.n();
        int chunk = k.chunk();
        float[] cols = k.cols();
        for (int n0 = 0; n0 < images; n0 += chunk) {
            int count = Math.min(chunk, images - n0);
            unfold(u, x, n0, count, cols);
            int width = count * p;
            if (count == 1) {
                // y[n0] [F, P] = w [F, CKK] * cols [CKK, P]
                gemm.multiply(false, false, filters, width, u.rows(), 1f, w, 0, cols, 0, 0f, y, n0 * filters * p);
            } else {
                float[] grouped = workspace.get(Slot.GROUPED, filters * width);
                gemm.multiply(false, false, filters, width, u.rows(), 1f, w, 0, cols, 0, 0f, grouped, 0);
                ungroup(grouped, count, filters, p, y, n0 * filters * p);
            }
            if (bias != null) {
                for (int img = 0; img < count; img++) {
                    int base = (n0 + img) * filters * p;
                    for (int f = 0; f < filters; f++) {
                        Elementwise.addScalar(y, base + f * p, p, bias[f]);
                    }
                }
            }
        }
    }

    @Override
    public void backwardInput(float[] gy, float[] w, Shape weight, Conv2dSpec spec, float[] gx, Shape input) {
        Chunking k = chunking(input, weight, spec);
        Im2col u = k.unfolding();
        int filters = k.filters();
        int p = u.positions();
        int images = input.n();
        int chunk = k.chunk();
        float[] cols = k.cols();
        Arrays.fill(gx, 0, input.size(), 0f);
        for (int n0 = 0; n0 < images; n0 += chunk) {
            int count = Math.min(chunk, images - n0);
            int width = count * p;
            float[] g = gradientColumns(gy, n0, count, filters, p);
            int gOff = g == gy ? n0 * filters * p : 0;
            // cols [CKK, width] = w^T [CKK, F] * g [F, width]
            gemm.multiply(true, false, u.rows(), width, filters, 1f, w, 0, g, gOff, 0f, cols, 0);
            int first = n0;
            pool.parallelFor(u.channels(), c -> u.fold(cols, first, count, c, gx));
        }
    }

    @Override
    public void backwardWeight(float[] x, Shape input, float[] gy, Conv2dSpec spec, float[] gw, Shape weight,
                               float[] gb) {
        Chunking k = chunking(input, weight, spec);
        Im2col u = k.unfolding();
        int filters = k.filters();
        int p = u.positions();
        int images = input.n();
        int chunk = k.chunk();
        float[] cols = k.cols();
        for (int n0 = 0; n0 < images; n0 += chunk) {
            int count = Math.min(chunk, images - n0);
            int width = count * p;
            unfold(u, x, n0, count, cols);
            float[] g = gradientColumns(gy, n0, count, filters, p);
            int gOff = g == gy ? n0 * filters * p : 0;
            // gw [F, CKK] (+)= g [F, width] * cols^T [width, CKK]
            gemm.multiply(false, true, filters, u.rows(), width, 1f, g, gOff, cols, 0, n0 == 0 ? 0f : 1f, gw, 0);
        }
        if (gb != null) {
            ConvolutionAlgorithm.biasGradient(gy, images, filters, p, gb);
        }
    }

    private void unfold(Im2col u, float[] x, int n0, int count, float[] cols) {
        pool.parallelFor(u.channels(), c -> u.unfold(x, n0, count, c, cols));
    }

    /** {@code [count, F, P]} at {@code src[off]} into {@code dst [F, count*P]}. */
    private static void group(float[] src, int off, int count, int filters, int p, float[] dst) {
        for (int img = 0; img < count; img++) {
            for (int f = 0; f < filters; f++) {
                System.arraycopy(src, off + (img * filters + f) * p, dst, f * count * p + img * p, p);
            }
        }
    }

    /** {@code src [F, count*P]} into {@code [count, F, P]} at {@code dst[off]}. */
    private static void ungroup(float[] src, int count, int filters, int p, float[] dst, int off) {
        for (int img = 0; img < count; img++) {
            for (int f = 0; f < filters; f++) {
                System.arraycopy(src, f * count * p + img * p, dst, off + (img * filters + f) * p, p);
            }
        }
    }
}
