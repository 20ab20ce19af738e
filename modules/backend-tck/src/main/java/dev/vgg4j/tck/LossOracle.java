package dev.vgg4j.tck;

/** Softmax cross-entropy from logits [N, K] and labels [N] in float64. */
public final class LossOracle {
    private LossOracle() {}

    /** Sum over rows of {@code log(sum_j exp(z_j)) - z_label}, divided by N when {@code mean}. */
    public static double loss(int n, int k, double[] logits, int[] labels, boolean mean) {
        double total = 0.0;
        for (int r = 0; r < n; r++) {
            total += logSumExp(logits, r * k, k) - logits[r * k + labels[r]];
        }
        return mean ? total / n : total;
    }

    /** {@code softmax - onehot}, divided by N when {@code mean}. */
    public static double[] gradient(int n, int k, double[] logits, int[] labels, boolean mean) {
        double[] g = new double[n * k];
        for (int r = 0; r < n; r++) {
            double lse = logSumExp(logits, r * k, k);
            for (int j = 0; j < k; j++) {
                double p = Math.exp(logits[r * k + j] - lse) - (j == labels[r] ? 1.0 : 0.0);
                g[r * k + j] = mean ? p / n : p;
            }
        }
        return g;
    }

    /** Rows whose first maximum sits at the label. */
    public static int correct(int n, int k, double[] logits, int[] labels) {
        int count = 0;
        for (int r = 0; r < n; r++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (logits[r * k + j] > logits[r * k + best]) {
                    best = j;
                }
            }
            count += best == labels[r] ? 1 : 0;
        }
        return count;
    }

    private static double logSumExp(double[] z, int from, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            max = Math.max(max, z[from + j]);
        }
        double s = 0.0;
        for (int j = 0; j < k; j++) {
            s += Math.exp(z[from + j] - max);
        }
        return max + Math.log(s);
    }
}
