package dev.vgg4j.tornado;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Conv2dSpec;
import dev.vgg4j.tornado.kernels.ConvKernels;
import dev.vgg4j.tornado.kernels.ConvKernels.ColumnArgs;
import dev.vgg4j.tornado.kernels.GemmArgs;
import dev.vgg4j.tornado.kernels.Operand;

/**
 * Convolutions as the cpu backend computes them: im2col into a column matrix ({@link ConvKernels}),
 * then one GEMM, for chunks of images whose column matrix fits the scratch budget. The GEMMs read
 * and write the [N, F, P] tensors through image columns, so no relayout launch is needed.
 */
final class DeviceConvolution {
    private final LaunchQueue queue;
    private final DeviceGemm gemm;
    private final ScratchBuffer columns;
    private final long scratchBudget;

    DeviceConvolution(LaunchQueue queue, DeviceGemm gemm, ScratchBuffer columns, long scratchBudget) {
        this.queue = queue;
        this.gemm = gemm;
        this.columns = columns;
        this.scratchBudget = scratchBudget;
    }

    /** The geometry of one convolution and how many images go through its scratch at once. */
    private record Geometry(int n, int c, int h, int w, int f, int kh, int kw, int oh, int ow, Conv2dSpec spec,
                            int chunk) {
        static Geometry of(Shape input, Shape weight, Shape output, Conv2dSpec spec, long budget) {
            int rows = weight.dim(1) * weight.dim(2) * weight.dim(3);
            long perImage = (long) rows * output.h() * output.w();
            int chunk = (int) Math.max(1, Math.min(input.n(), budget / perImage));
            return new Geometry(input.n(), input.c(), input.h(), input.w(), weight.dim(0), weight.dim(2),
                    weight.dim(3), output.h(), output.w(), spec, chunk);
        }

        int rows() {
            return c * kh * kw;
        }

        int plane() {
            return oh * ow;
        }

        int imageSize() {
            return c * h * w;
        }

        /** Scratch: the column matrix [rows, chunk*P]. */
        int scratchFloats() {
            return rows() * chunk * plane();
        }

        /** im2col or col2im of {@code images} images starting at {@code image}, over {@code count} work-items. */
        ColumnArgs columnArgs(int count, int image, int col, int images) {
            return new ColumnArgs(count, image, col, c, h, w, kh, kw, oh, ow, spec.stride(), spec.padding(), images);
        }

        /** A tensor [nb, F, P] from {@code offset} seen as the matrix [F, nb*P]. */
        Operand featureMatrix(int offset) {
            return Operand.of(offset, plane(), 1).imageColumns(plane(), f * plane());
        }
    }

    /** output [N, F, OH, OW] = conv(input [N, C, H, W], weight [F, C, KH, KW]) + bias [F] (bias offset or -1). */
    void forward(DeviceTensor input, DeviceTensor weight, int bias, Conv2dSpec spec, DeviceTensor output) {
        Geometry g = Geometry.of(input.shape(), weight.shape(), output.shape(), spec, scratchBudget);
        int col = columns.offset(g.scratchFloats());
        int p = g.plane();
        for (int n0 = 0; n0 < g.n(); n0 += g.chunk()) {
            int nb = Math.min(g.chunk(), g.n() - n0);
            queue.elementwise(DeviceKernel.IM2COL, g.columnArgs(g.rows() * nb * p, input.offset() + n0 * g.imageSize(), col, nb));
            // out[nb, F, P] seen as [F, nb*P] = W[F, rows] * col[rows, nb*P] + bias[F], in one GEMM.
            gemm.run(new GemmArgs(g.f(), nb * p, g.rows(), Operand.of(weight.offset(), g.rows(), 1),
                    Operand.of(col, nb * p, 1), g.featureMatrix(output.offset() + n0 * g.f() * p), 1f, 0f, bias, 0), 1);
        }
    }

    /** gradInput [N, C, H, W] from gradOutput [N, F, OH, OW] and weight [F, C, KH, KW]. */
    void backwardInput(DeviceTensor gradOutput, DeviceTensor weight, Conv2dSpec spec, DeviceTensor gradInput) {
        Geometry g = Geometry.of(gradInput.shape(), weight.shape(), gradOutput.shape(), spec, scratchBudget);
        int col = columns.offset(g.scratchFloats());
        int p = g.plane();
        for (int n0 = 0; n0 < g.n(); n0 += g.chunk()) {
            int nb = Math.min(g.chunk(), g.n() - n0);
            // colGrad[rows, nb*P] = W^T[rows, F] * gradOutput[nb, F, P] seen as [F, nb*P]
            gemm.run(new GemmArgs(g.rows(), nb * p, g.f(), Operand.of(weight.offset(), 1, g.rows()),
                    g.featureMatrix(gradOutput.offset() + n0 * g.f() * p), Operand.of(col, nb * p, 1), 1f, 0f, -1, 0), 1);
            queue.elementwise(DeviceKernel.COL2IM,
                    g.columnArgs(nb * g.imageSize(), gradInput.offset() + n0 * g.imageSize(), col, nb));
        }
    }

    /** gradWeight [F, C, KH, KW] from input [N, C, H, W] and gradOutput [N, F, OH, OW], overwritten. */
    void backwardWeight(DeviceTensor input, DeviceTensor gradOutput, Conv2dSpec spec, DeviceTensor gradWeight) {
        Geometry g = Geometry.of(input.shape(), gradWeight.shape(), gradOutput.shape(), spec, scratchBudget);
        int col = columns.offset(g.scratchFloats());
        int p = g.plane();
        for (int n0 = 0; n0 < g.n(); n0 += g.chunk()) {
            int nb = Math.min(g.chunk(), g.n() - n0);
            queue.elementwise(DeviceKernel.IM2COL, g.columnArgs(g.rows() * nb * p, input.offset() + n0 * g.imageSize(), col, nb));
            // gradW[F, rows] (+)= gradOutput[nb, F, P] seen as [F, nb*P] * col^T[nb*P, rows]; the first chunk overwrites.
            gemm.run(new GemmArgs(g.f(), g.rows(), nb * p, g.featureMatrix(gradOutput.offset() + n0 * g.f() * p),
                    Operand.of(col, 1, nb * p), Operand.of(gradWeight.offset(), g.rows(), 1), 1f, n0 == 0 ? 0f : 1f, -1, 0), 1);
        }
    }
}
