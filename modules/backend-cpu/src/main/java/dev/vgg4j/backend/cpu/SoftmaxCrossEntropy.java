package dev.vgg4j.backend.cpu;

import dev.vgg4j.spi.Reduction;

/**
 * Cross-entropy on logits {@code [N, K]} with labels {@code [N]} (exact float class indices):
 * log-sum-exp per row in double, the argmax count for accuracy, and {@code softmax - onehot} as the
 * gradient. K is 10 for CIFAR, so one row is too short for vectors to pay. {@code StrictMath}
 * rather than {@code Math}: the latter may be within 1 ulp, differently in the interpreter and in
 * compiled code, and a run must repeat bit for bit.
 */
final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {}

    /** result[0] = loss (sum or mean), result[1] = correct predictions; grad (or null) = d loss / d logits. */
    static void compute(float[] logits, float[] labels, int rows, int classes, Reduction reduction,
                        float[] result, float[] grad) {
        double loss = 0;
        int correct = 0;
        double gradScale = reduction == Reduction.MEAN ? 1.0 / rows : 1.0;
        for (int r = 0; r < rows; r++) {
            int off = r * classes;
            int label = (int) labels[r];
            if (label < 0 || label >= classes || label != labels[r]) {
                throw new IllegalArgumentException("softmaxCrossEntropy: label " + labels[r] + " of row " + r
                        + " is not a class index in [0, " + classes + ")");
            }
            int argmax = 0;
            float max = logits[off];
            for (int k = 1; k < classes; k++) {
                if (logits[off + k] > max) {
                    max = logits[off + k];
                    argmax = k;
                }
            }
            double sumExp = 0;
            for (int k = 0; k < classes; k++) {
                sumExp += StrictMath.exp(logits[off + k] - max);
            }
            double logSumExp = max + StrictMath.log(sumExp);
            loss += logSumExp - logits[off + label];
            if (argmax == label) {
                correct++;
            }
            if (grad != null) {
                for (int k = 0; k < classes; k++) {
                    double softmax = StrictMath.exp(logits[off + k] - logSumExp);
                    grad[off + k] = (float) ((softmax - (k == label ? 1 : 0)) * gradScale);
                }
            }
        }
        result[0] = (float) (reduction == Reduction.MEAN ? loss / rows : loss);
        result[1] = correct;
    }
}
