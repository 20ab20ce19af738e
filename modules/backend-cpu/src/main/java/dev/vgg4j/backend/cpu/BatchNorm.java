package dev.vgg4j.backend.cpu;

/**
 * BatchNorm2d over {@code x [N, C, H, W]}, forward (training and inference) and backward side by
 * side. Work splits over channels; a channel's {@code N} planes of {@code H*W} floats are reduced
 * with vector lanes in float and the planes added in double.
 */
final class BatchNorm {
    private final WorkerPool pool;

    BatchNorm(WorkerPool pool) {
        this.pool = pool;
    }

    /** Batch statistics, normalisation and the running-stat update; see {@code Backend.batchNormTrainForward}. */
    void trainForward(float[] x, int n, int c, int hw, float[] gamma, float[] beta, float[] runningMean,
                      float[] runningVar, float momentum, float eps, float[] y, float[] saveMean, float[] saveInvStd) {
        long m = (long) n * hw;
        pool.parallelFor(c, ch -> {
            double s = 0;
            for (int img = 0; img < n; img++) {
                s += Elementwise.sum(x, (img * c + ch) * hw, hw);
            }
            float mean = (float) (s / m);
            double sq = 0;
            for (int img = 0; img < n; img++) {
                sq += Elementwise.squaredDeviation(x, (img * c + ch) * hw, hw, mean);
            }
            double var = sq / m;
            float invStd = (float) (1.0 / Math.sqrt(var + eps));
            normalize(x, n, c, hw, ch, mean, invStd, gamma[ch], beta[ch], y);
            saveMean[ch] = mean;
            saveInvStd[ch] = invStd;
            runningMean[ch] = (1 - momentum) * runningMean[ch] + momentum * mean;
            runningVar[ch] = (float) ((1 - momentum) * runningVar[ch] + momentum * var * m / (m - 1));
        });
    }

    /** {@code y = (x - runningMean) / sqrt(runningVar + eps) * gamma + beta}. */
    void inferenceForward(float[] x, int n, int c, int hw, float[] gamma, float[] beta, float[] runningMean,
                          float[] runningVar, float eps, float[] y) {
        pool.parallelFor(c, ch -> {
            float invStd = (float) (1.0 / Math.sqrt((double) runningVar[ch] + eps));
            normalize(x, n, c, hw, ch, runningMean[ch], invStd, gamma[ch], beta[ch], y);
        });
    }

    private static void normalize(float[] x, int n, int c, int hw, int ch, float mean, float invStd, float gamma,
                                  float beta, float[] y) {
        float scale = invStd * gamma;
        float shift = beta - mean * scale;
        for (int img = 0; img < n; img++) {
            int off = (img * c + ch) * hw;
            Elementwise.scaleShift(x, off, y, off, hw, scale, shift);
        }
    }

    /**
     * {@code gradBeta = sum gy}, {@code gradGamma = sum gy * xhat},
     * {@code gx = gamma * invStd / M * (M * gy - gradBeta - xhat * gradGamma)}, expanded per channel
     * into {@code gx = gy * k1 + x * k2 + k0}.
     */
    void backward(float[] x, float[] gy, int n, int c, int hw, float[] gamma, float[] saveMean, float[] saveInvStd,
                  float[] gx, float[] gradGamma, float[] gradBeta) {
        long m = (long) n * hw;
        pool.parallelFor(c, ch -> {
            float mean = saveMean[ch];
            double invStd = saveInvStd[ch];
            double sumGy = 0;
            double sumGyCentered = 0;
            for (int img = 0; img < n; img++) {
                int off = (img * c + ch) * hw;
                sumGy += Elementwise.sum(gy, off, hw);
                sumGyCentered += Elementwise.dotCentered(gy, off, x, off, hw, mean);
            }
            double dGamma = sumGyCentered * invStd;
            double g = gamma[ch] * invStd;
            float k1 = (float) g;
            float k2 = (float) (-g * invStd * dGamma / m);
            float k0 = (float) (-g * sumGy / m + g * invStd * dGamma * mean / m);
            for (int img = 0; img < n; img++) {
                int off = (img * c + ch) * hw;
                Elementwise.linearCombination(gy, off, k1, x, off, k2, k0, gx, off, hw);
            }
            gradGamma[ch] = (float) dGamma;
            gradBeta[ch] = (float) sumGy;
        });
    }
}
