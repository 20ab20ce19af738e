package dev.vgg4j.cli;

/** Host-side readings of logits {@code [N, K]}: cross-entropy and argmax (probabilities: {@code Predictor}). */
final class Scores {
    private Scores() {}

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
