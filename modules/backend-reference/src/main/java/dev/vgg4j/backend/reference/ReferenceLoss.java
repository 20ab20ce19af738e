package dev.vgg4j.backend.reference;

import dev.vgg4j.spi.HeapTensor;
import dev.vgg4j.spi.Reduction;

/** Softmax cross-entropy from logits [N, K] and labels [N], in double with the max subtracted. */
final class ReferenceLoss {
    private ReferenceLoss() {}

    static void softmaxCrossEntropy(HeapTensor logits, HeapTensor labels, Reduction reduction,
                                    HeapTensor result, HeapTensor gradLogits) {
        int rows = logits.shape().rows();
        int k = logits.shape().cols();
        float[] z = logits.data();
        double perRowScale = reduction == Reduction.MEAN ? 1.0 / rows : 1.0;
        double loss = 0.0;
        int correct = 0;
        for (int r = 0; r < rows; r++) {
            int label = label(labels, r, k);
            int row = logits.offset() + r * k;
            int argmax = 0;
            for (int j = 1; j < k; j++) {
                if (z[row + j] > z[row + argmax]) {
                    argmax = j;
                }
            }
            double max = z[row + argmax];
            double sumExp = 0.0;
            for (int j = 0; j < k; j++) {
                sumExp += Math.exp(z[row + j] - max);
            }
            double logSumExp = max + Math.log(sumExp);
            loss += logSumExp - z[row + label];
            if (argmax == label) {
                correct++;
            }
            if (gradLogits != null) {
                int gRow = gradLogits.offset() + r * k;
                for (int j = 0; j < k; j++) {
                    double softmax = Math.exp(z[row + j] - logSumExp);
                    gradLogits.data()[gRow + j] = (float) ((softmax - (j == label ? 1.0 : 0.0)) * perRowScale);
                }
            }
        }
        result.data()[result.offset()] = (float) (loss * perRowScale);
        result.data()[result.offset() + 1] = correct;
    }

    private static int label(HeapTensor labels, int r, int classes) {
        float value = labels.data()[labels.offset() + r];
        int label = (int) value;
        if (label != value || label < 0 || label >= classes) {
            throw new IllegalArgumentException("softmaxCrossEntropy: label " + value + " of row " + r
                    + " is not a class index in 0.." + (classes - 1));
        }
        return label;
    }
}
