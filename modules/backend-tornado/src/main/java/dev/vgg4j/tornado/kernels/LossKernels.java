package dev.vgg4j.tornado.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/** Softmax cross-entropy over logits [N, K] with float labels [N]. */
public final class LossKernels {
    private LossKernels() {}

    /**
     * A single work-group: work-item t takes rows t, t + GROUP, ...; per row the max, log-sum-exp,
     * loss, argmax (first wins) and, when gradOff >= 0, the gradient softmax - onehot times the row
     * scale. The group then tree-sums loss and correct count into result [2].
     * ip: logits, labels, result, gradLogits (-1 to skip), N, K. fp: row scale (1/N for mean, else 1).
     */
    public static void softmaxCrossEntropy(KernelContext ctx, FloatArray heap, IntArray ip, FloatArray fp) {
        int tid = ctx.localIdx;
        int rows = ip.get(4);
        int k = ip.get(5);
        int gradOff = ip.get(3);
        float rowScale = fp.get(0);
        float[] lossPart = ctx.allocateFloatLocalArray(Params.GROUP);
        float[] correctPart = ctx.allocateFloatLocalArray(Params.GROUP);
        float loss = 0f;
        float correct = 0f;
        for (int r = tid; r < rows; r += Params.GROUP) {
            int row = ip.get(0) + r * k;
            int label = (int) heap.get(ip.get(1) + r);
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
            heap.set(ip.get(2), lossPart[0] * rowScale);
            heap.set(ip.get(2) + 1, correctPart[0]);
        }
    }
}
