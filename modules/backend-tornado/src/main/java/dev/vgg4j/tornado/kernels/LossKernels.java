package dev.vgg4j.tornado.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/** Softmax cross-entropy over logits [N, K] with float labels [N]. */
public final class LossKernels {
    private LossKernels() {}

    /**
     * {@link #softmaxCrossEntropy}: logits [rows, classes], labels [rows], result [2] (loss, correct),
     * gradLogits [rows, classes] or -1 to skip; the row scale is 1/N for a mean, else 1.
     */
    public record CrossEntropyArgs(int logits, int labels, int result, int gradLogits, int rows, int classes,
                                   float rowScale) implements LaunchArgs {
        public static final int LOGITS = 0;
        public static final int LABELS = 1;
        public static final int RESULT = 2;
        public static final int GRAD_LOGITS = 3;
        public static final int ROWS = 4;
        public static final int CLASSES = 5;
        public static final int ROW_SCALE = 0;

        @Override
        public int[] ints() {
            int[] ip = new int[6];
            ip[LOGITS] = logits;
            ip[LABELS] = labels;
            ip[RESULT] = result;
            ip[GRAD_LOGITS] = gradLogits;
            ip[ROWS] = rows;
            ip[CLASSES] = classes;
            return ip;
        }

        @Override
        public float[] floats() {
            return new float[] {rowScale};
        }
    }

    /**
     * A single work-group: work-item t takes rows t, t + GROUP, ...; per row the max, log-sum-exp,
     * loss, argmax (first wins) and, when gradOff >= 0, the gradient softmax - onehot times the row
     * scale. The group then tree-sums loss and correct count into result [2].
     */
    public static void softmaxCrossEntropy(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int tid = ctx.localIdx;
        int rows = ip.get(CrossEntropyArgs.ROWS);
        int k = ip.get(CrossEntropyArgs.CLASSES);
        int gradOff = ip.get(CrossEntropyArgs.GRAD_LOGITS);
        float rowScale = fp.get(CrossEntropyArgs.ROW_SCALE);
        float[] lossPart = ctx.allocateFloatLocalArray(Params.GROUP);
        float[] correctPart = ctx.allocateFloatLocalArray(Params.GROUP);
        float loss = 0f;
        float correct = 0f;
        for (int r = tid; r < rows; r += Params.GROUP) {
            int row = ip.get(CrossEntropyArgs.LOGITS) + r * k;
            int label = (int) heap.get(ip.get(CrossEntropyArgs.LABELS) + r);
            int argmax = 0;
            float max = heap.get(row);
            for (int j = 1; j < k; j++) {
                float v = heap.get(row + j);
                if (v > max) {
                    max = v;
                    argmax = j;
                }
            }
            float sumExp = 0f;
            for (int j = 0; j < k; j++) {
                sumExp += TornadoMath.exp(heap.get(row + j) - max);
            }
            float logSumExp = max + TornadoMath.log(sumExp);
            loss += logSumExp - heap.get(row + label);
            if (argmax == label) {
                correct += 1f;
            }
            if (gradOff >= 0) {
                for (int j = 0; j < k; j++) {
                    float softmax = TornadoMath.exp(heap.get(row + j) - logSumExp);
                    float onehot = j == label ? 1f : 0f;
                    heap.set(gradOff + r * k + j, (softmax - onehot) * rowScale);
                }
            }
        }
        lossPart[tid] = loss;
        correctPart[tid] = correct;
        for (int half = Params.GROUP / 2; half > 0; half = half / 2) {
            ctx.localBarrier();
            if (tid < half) {
                lossPart[tid] = lossPart[tid] + lossPart[tid + half];
                correctPart[tid] = correctPart[tid] + correctPart[tid + half];
            }
        }
        ctx.localBarrier();
        if (tid == 0) {
            heap.set(ip.get(CrossEntropyArgs.RESULT), lossPart[0] * rowScale);
            heap.set(ip.get(CrossEntropyArgs.RESULT) + 1, correctPart[0]);
        }
    }
}
