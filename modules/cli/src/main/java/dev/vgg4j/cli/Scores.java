package dev.vgg4j.cli;

/** Host-side readings of logits {@code [N, K]}: softmax probabilities, cross-entropy, argmax. */
final class Scores {
    private Scores() {}

    /** Softmax of row {@code row} of {@code logits}, computed in double from the row's maximum. */
    static double[] softmax(float[] logits, int row, int classes) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < classes; k++) {
            max = Math.max(max, logits[row * classes + k]);
        }
        double[] p = new double[classes];
        double sum = 0;
        for (int k = 0; k < classes; k++) {
            p[k] = Math.exp(logits[row * classes + k] - max);
            sum += p[k];
        }
        for (int k = 0; k < classes; k++) {
            p[k] /= sum;
        }
        return p;
    }

    /** {@code -log softmax(row)[label]}. */
    static double crossEntropy(float[] logits, int row, int classes, int label) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < classes; k++) {
            max = Math.max(max, logits[row * classes + k]);
        }
        double sum = 0;
        for (int k = 0; k < classes; k++) {
            sum += Math.exp(logits[row * classes + k] - max);
        }
        return max + Math.log(sum) - logits[row * classes + label];
    }

    /** The first class with the largest logit, as {@code torch.max} picks it. */
    static int argmax(float[] logits, int row, int classes) {
        int best = 0;
        for (int k = 1; k < classes; k++) {
            if (logits[row * classes + k] > logits[row * classes + best]) {
                best = k;
            }
        }
        return best;
    }
}
