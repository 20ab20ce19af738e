package dev.vgg4j.tck;

/** BatchNorm2d over x [N, C, H, W] in float64, straight from the definitions in Backend's javadoc. */
public final class BatchNormOracle {
    private BatchNormOracle() {}

    /** What a training forward produces: y [N, C, H, W]; batch mean, 1/sqrt(biased var + eps), updated running stats [C]. */
    public record Train(double[] y, double[] mean, double[] invStd, double[] runningMean, double[] runningVar) {}

    public static Train trainForward(int n, int c, int plane, double[] x, double[] gamma, double[] beta,
                                     double[] runningMean, double[] runningVar, double momentum, double eps) {
        int m = n * plane;
        double[] mean = new double[c];
        double[] invStd = new double[c];
        double[] newMean = new double[c];
        double[] newVar = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double s = 0.0;
            for (int i = 0; i < m; i++) {
                s += x[index(ch, i, c, plane)];
            }
            mean[ch] = s / m;
            double sq = 0.0;
            for (int i = 0; i < m; i++) {
                double d = x[index(ch, i, c, plane)] - mean[ch];
                sq += d * d;
            }
            invStd[ch] = 1.0 / Math.sqrt(sq / m + eps);
            newMean[ch] = (1 - momentum) * runningMean[ch] + momentum * mean[ch];
            newVar[ch] = (1 - momentum) * runningVar[ch] + momentum * sq / (m - 1);
        }
        return new Train(normalise(n, c, plane, x, gamma, beta, mean, invStd), mean, invStd, newMean, newVar);
    }

    /** Eval mode: the running statistics normalise. */
    public static double[] inferenceForward(int n, int c, int plane, double[] x, double[] gamma, double[] beta,
                                            double[] runningMean, double[] runningVar, double eps) {
        double[] invStd = new double[c];
        for (int ch = 0; ch < c; ch++) {
            invStd[ch] = 1.0 / Math.sqrt(runningVar[ch] + eps);
        }
        return normalise(n, c, plane, x, gamma, beta, runningMean, invStd);
    }

    private static double[] normalise(int n, int c, int plane, double[] x, double[] gamma, double[] beta,
                                      double[] mean, double[] invStd) {
        double[] y = new double[x.length];
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < n * plane; i++) {
                int at = index(ch, i, c, plane);
                y[at] = (x[at] - mean[ch]) * invStd[ch] * gamma[ch] + beta[ch];
            }
        }
        return y;
    }

    /** The flat index of the i-th of the N*H*W values of channel {@code ch}. */
    private static int index(int ch, int i, int c, int plane) {
        return ((i / plane) * c + ch) * plane + i % plane;
    }
}
