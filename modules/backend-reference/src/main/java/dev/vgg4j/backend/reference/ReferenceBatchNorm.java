package dev.vgg4j.backend.reference;

import dev.vgg4j.spi.HeapTensor;

/**
 * BatchNorm2d over x [N, C, H, W] with per-channel [C] parameters; statistics are two-pass sums in
 * double over the M = N*H*W values of a channel.
 */
final class ReferenceBatchNorm {
    private ReferenceBatchNorm() {}

    static void trainForward(HeapTensor x, HeapTensor gamma, HeapTensor beta, HeapTensor runningMean,
                             HeapTensor runningVar, float momentum, float eps, HeapTensor y,
                             HeapTensor saveMean, HeapTensor saveInvStd) {
        Channels ch = new Channels(x);
        for (int c = 0; c < ch.c; c++) {
            double mean = ch.sum(x, c) / ch.m();
            double squares = 0.0;
            for (int n = 0; n < ch.n; n++) {
                int at = ch.planeStart(x, n, c);
                for (int i = 0; i < ch.plane; i++) {
                    double d = x.data()[at + i] - mean;
                    squares += d * d;
                }
            }
            double biasedVar = squares / ch.m();
            double invStd = 1.0 / Math.sqrt(biasedVar + eps);
            normalise(x, y, ch, c, mean, invStd, at(gamma, c), at(beta, c));
            set(saveMean, c, mean);
            set(saveInvStd, c, invStd);
            double unbiasedVar = squares / (ch.m() - 1);
            set(runningMean, c, (1.0 - momentum) * at(runningMean, c) + momentum * mean);
            set(runningVar, c, (1.0 - momentum) * at(runningVar, c) + momentum * unbiasedVar);
        }
    }

    static void inferenceForward(HeapTensor x, HeapTensor gamma, HeapTensor beta, HeapTensor runningMean,
                                 HeapTensor runningVar, float eps, HeapTensor y) {
        Channels ch = new Channels(x);
        for (int c = 0; c < ch.c; c++) {
            double invStd = 1.0 / Math.sqrt(at(runningVar, c) + eps);
            normalise(x, y, ch, c, at(runningMean, c), invStd, at(gamma, c), at(beta, c));
        }
    }

    /** gradX = gamma * invStd / M * (M * gradY - gradBeta - xhat * gradGamma), per channel. */
    static void backward(HeapTensor x, HeapTensor gradY, HeapTensor gamma, HeapTensor saveMean,
                         HeapTensor saveInvStd, HeapTensor gradX, HeapTensor gradGamma, HeapTensor gradBeta) {
        Channels ch = new Channels(x);
        for (int c = 0; c < ch.c; c++) {
            double mean = at(saveMean, c);
            double invStd = at(saveInvStd, c);
            double sumGrad = 0.0;
            double sumGradXhat = 0.0;
            for (int n = 0; n < ch.n; n++) {
                int xAt = ch.planeStart(x, n, c);
                int gAt = ch.planeStart(gradY, n, c);
                for (int i = 0; i < ch.plane; i++) {
                    double g = gradY.data()[gAt + i];
                    sumGrad += g;
                    sumGradXhat += g * (x.data()[xAt + i] - mean) * invStd;
                }
            }
            double scale = at(gamma, c) * invStd / ch.m();
            for (int n = 0; n < ch.n; n++) {
                int xAt = ch.planeStart(x, n, c);
                int gAt = ch.planeStart(gradY, n, c);
                int outAt = ch.planeStart(gradX, n, c);
                for (int i = 0; i < ch.plane; i++) {
                    double xhat = (x.data()[xAt + i] - mean) * invStd;
                    double g = gradY.data()[gAt + i];
                    gradX.data()[outAt + i] = (float) (scale * (ch.m() * g - sumGrad - xhat * sumGradXhat));
                }
            }
            set(gradGamma, c, sumGradXhat);
            set(gradBeta, c, sumGrad);
        }
    }

    private static void normalise(HeapTensor x, HeapTensor y, Channels ch, int c, double mean, double invStd,
                                  double gamma, double beta) {
        for (int n = 0; n < ch.n; n++) {
            int xAt = ch.planeStart(x, n, c);
            int yAt = ch.planeStart(y, n, c);
            for (int i = 0; i < ch.plane; i++) {
                y.data()[yAt + i] = (float) ((x.data()[xAt + i] - mean) * invStd * gamma + beta);
            }
        }
    }

    private static double at(HeapTensor t, int i) {
        return t.data()[t.offset() + i];
    }

    private static void set(HeapTensor t, int i, double value) {
        t.data()[t.offset() + i] = (float) value;
    }

    /** Batch n, channel count c and plane size H*W of an [N, C, H, W] tensor. */
    private record Channels(int n, int c, int plane) {
        Channels(HeapTensor x) {
            this(x.shape().n(), x.shape().c(), x.shape().h() * x.shape().w());
        }

        /** Values per channel, M = N*H*W. */
        double m() {
            return (double) n * plane;
        }

        int planeStart(HeapTensor t, int batch, int channel) {
            return t.offset() + (batch * c + channel) * plane;
        }

        double sum(HeapTensor t, int channel) {
            double s = 0.0;
            for (int b = 0; b < n; b++) {
                int at = planeStart(t, b, channel);
                for (int i = 0; i < plane; i++) {
                    s += t.data()[at + i];
                }
            }
            return s;
        }
    }
}
