package dev.vgg4j.tornado;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Conv2dSpec;
import dev.vgg4j.tornado.kernels.ConvWindow;
import dev.vgg4j.tornado.kernels.GemmArgs;
import dev.vgg4j.tornado.kernels.Operand;

/**
 * Convolutions as implicit GEMMs: each is one GEMM launch over the whole batch whose B is the
 * column matrix gathered from the image tensor while the GEMM stages its tiles ({@link ConvWindow}),
 * never written out. The GEMMs read and write the [N, F, P] tensors through image columns, so no
 * relayout launch is needed either.
 */
final class DeviceConvolution {
    private final DeviceGemm gemm;

    DeviceConvolution(DeviceGemm gemm) {
        this.gemm = gemm;
    }

    /** The geometry of one convolution: input [N, C, H, W], weight [F, C, KH, KW], output [N, F, OH, OW]. */
    private record Geometry(int n, int c, int h, int w, int f, int kh, int kw, int oh, int ow, Conv2dSpec spec) {
        static Geometry of(Shape input, Shape weight, Shape output, Conv2dSpec spec) {
            return new Geometry(input.n(), input.c(), input.h(), input.w(), weight.dim(0), weight.dim(2),
                    weight.dim(3), output.h(), output.w(), spec);
        }

        /** Filter taps per output channel: C*KH*KW. */
        int taps() {
            return c * kh * kw;
        }

        /** Positions of the output plane: OH*OW. */
        int plane() {
            return oh * ow;
        }

        /** The input's column matrix [C*KH*KW, N*OH*OW]. */
        ConvWindow im2col() {
            return ConvWindow.im2col(c, h, w, kh, kw, oh, ow, spec.stride(), spec.padding());
        }

        /** A tensor [N, channels, plane] from {@code offset} seen as the matrix [channels, N*plane]. */
        static Operand featureMatrix(int offset, int channels, int plane) {
            return Operand.of(offset, plane, 1).imageColumns(plane, channels * plane);
        }
    }

    /** output [N, F, OH, OW] = conv(input [N, C, H, W], weight [F, C, KH, KW]) + bias [F] (bias offset or -1). */
    void forward(DeviceTensor input, DeviceTensor weight, int bias, Conv2dSpec spec, DeviceTensor output) {
        Geometry g = Geometry.of(input.shape(), weight.shape(), output.shape(), spec);
        // out[N, F, P] seen as [F, N*P] = W[F, taps] * col(input)[taps, N*P] + bias[F]
        gemm.run(GemmArgs.implicit(g.f(), g.n() * g.plane(), g.taps(), Operand.of(weight.offset(), g.taps(), 1),
                input.offset(), g.im2col(), Geometry.featureMatrix(output.offset(), g.f(), g.plane()), 0f, bias), 1);
    }

    /** gradInput [N, C, H, W] from gradOutput [N, F, OH, OW] and weight [F, C, KH, KW], overwritten. */
    void backwardInput(DeviceTensor gradOutput, DeviceTensor weight, Conv2dSpec spec, DeviceTensor gradInput) {
        Geometry g = Geometry.of(gradInput.shape(), weight.shape(), gradOutput.shape(), spec);
        int filterTaps = g.kh() * g.kw();
        // gradInput[N, C, H*W] seen as [C, N*H*W] = W'[C, (f, dy, dx)] * B[(f, dy, dx), N*H*W], with
        // W'(c, (f, t)) = W[f, c, t] (image columns of KH*KW along K) and B the transposed-conv window on gradOutput.
        Operand weightByInputChannel = Operand.of(weight.offset(), filterTaps, 1).imageColumns(filterTaps, g.taps());
        ConvWindow window = ConvWindow.transposedConv(g.f(), g.oh(), g.ow(), g.kh(), g.kw(), g.h(), g.w(),
                spec.stride(), spec.padding());
        gemm.run(GemmArgs.implicit(g.c(), g.n() * g.h() * g.w(), g.f() * filterTaps, weightByInputChannel,
                gradOutput.offset(), window, Geometry.featureMatrix(gradInput.offset(), g.c(), g.h() * g.w()), 0f, -1), 1);
    }

    /** gradWeight [F, C, KH, KW] from input [N, C, H, W] and gradOutput [N, F, OH, OW], overwritten. */
    void backwardWeight(DeviceTensor input, DeviceTensor gradOutput, Conv2dSpec spec, DeviceTensor gradWeight) {
        Geometry g = Geometry.of(input.shape(), gradWeight.shape(), gradOutput.shape(), spec);
        // gradW[F, taps] = gradOutput[N, F, P] seen as [F, N*P] * col(input)^T[N*P, taps]
        gemm.run(GemmArgs.implicit(g.f(), g.taps(), g.n() * g.plane(),
                Geometry.featureMatrix(gradOutput.offset(), g.f(), g.plane()), input.offset(), g.im2col().tapsAlongN(),
                Operand.of(gradWeight.offset(), g.taps(), 1), 0f, -1), 1);
    }
}
