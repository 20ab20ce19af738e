package dev.vgg4j.backend.reference;

import dev.vgg4j.core.CounterRng;
import dev.vgg4j.spi.AdamParams;
import dev.vgg4j.spi.Conv2dSpec;
import dev.vgg4j.spi.HeapBackend;
import dev.vgg4j.spi.HeapTensor;
import dev.vgg4j.spi.Reduction;
import dev.vgg4j.spi.SgdParams;

/**
 * Plain scalar Java on the heap: single-threaded, deterministic and written to be obviously right.
 * It is the oracle other backends are compared with and the baseline of benchmarks. Elementwise ops
 * live here; the larger kernels have a class each; memory and copies are {@link HeapBackend}'s.
 */
public final class ReferenceBackend extends HeapBackend {

    @Override
    public String name() {
        return ReferenceBackendProvider.NAME;
    }

    @Override
    public String deviceDescription() {
        return "1 thread, scalar Java (reference)";
    }

    @Override
    public int threads() {
        return 1;
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    protected void doAxpy(float alpha, HeapTensor x, HeapTensor y) {
        for (int i = 0; i < x.size(); i++) {
            y.data()[y.offset() + i] += alpha * x.data()[x.offset() + i];
        }
    }

    @Override
    protected void doScale(HeapTensor t, float alpha) {
        for (int i = 0; i < t.size(); i++) {
            t.data()[t.offset() + i] *= alpha;
        }
    }

    @Override
    protected void doSum(HeapTensor t, HeapTensor out) {
        double sum = 0.0;
        for (int i = 0; i < t.size(); i++) {
            sum += t.data()[t.offset() + i];
        }
        out.data()[out.offset()] = (float) sum;
    }

    // ---------------------------------------------------------------- gemm and linear helpers

    @Override
    protected void doGemm(boolean transA, boolean transB, int m, int n, int k,
                          float alpha, HeapTensor a, HeapTensor b, float beta, HeapTensor c) {
        ReferenceGemm.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
    }

    /** out [F] = column sums of g [N, F]. */
    @Override
    protected void doColumnSums(HeapTensor g, HeapTensor out) {
        int rows = g.shape().rows();
        int cols = g.shape().cols();
        for (int col = 0; col < cols; col++) {
            double sum = 0.0;
            for (int r = 0; r < rows; r++) {
                sum += g.data()[g.offset() + r * cols + col];
            }
            out.data()[out.offset() + col] = (float) sum;
        }
    }

    // ---------------------------------------------------------------- convolution

    @Override
    protected void doConv2dForward(HeapTensor input, HeapTensor weight, HeapTensor bias, Conv2dSpec spec,
                                   HeapTensor output) {
        ReferenceConv.forward(input, weight, bias, spec, output);
    }

    @Override
    protected void doConv2dBackwardInput(HeapTensor gradOutput, HeapTensor weight, Conv2dSpec spec,
                                         HeapTensor gradInput) {
        ReferenceConv.backwardInput(gradOutput, weight, spec, gradInput);
    }

    @Override
    protected void doConv2dBackwardWeight(HeapTensor input, HeapTensor gradOutput, Conv2dSpec spec,
                                          HeapTensor gradWeight, HeapTensor gradBias) {
        ReferenceConv.backwardWeight(input, gradOutput, spec, gradWeight, gradBias);
    }

    // ---------------------------------------------------------------- batch norm

    @Override
    protected void doBatchNormTrainForward(HeapTensor x, HeapTensor gamma, HeapTensor beta, HeapTensor runningMean,
                                           HeapTensor runningVar, float momentum, float eps, HeapTensor y,
                                           HeapTensor saveMean, HeapTensor saveInvStd) {
        ReferenceBatchNorm.trainForward(x, gamma, beta, runningMean, runningVar, momentum, eps, y, saveMean, saveInvStd);
    }

    @Override
    protected void doBatchNormInferenceForward(HeapTensor x, HeapTensor gamma, HeapTensor beta,
                                               HeapTensor runningMean, HeapTensor runningVar, float eps,
                                               HeapTensor y) {
        ReferenceBatchNorm.inferenceForward(x, gamma, beta, runningMean, runningVar, eps, y);
    }

    @Override
    protected void doBatchNormBackward(HeapTensor x, HeapTensor gradY, HeapTensor gamma, HeapTensor saveMean,
                                       HeapTensor saveInvStd, HeapTensor gradX, HeapTensor gradGamma,
                                       HeapTensor gradBeta) {
        ReferenceBatchNorm.backward(x, gradY, gamma, saveMean, saveInvStd, gradX, gradGamma, gradBeta);
    }

    // ---------------------------------------------------------------- relu, pooling, dropout

    @Override
    protected void doReluForward(HeapTensor x, HeapTensor y) {
        for (int i = 0; i < x.size(); i++) {
            y.data()[y.offset() + i] = Math.max(x.data()[x.offset() + i], 0f);
        }
    }

    @Override
    protected void doReluBackward(HeapTensor y, HeapTensor gradY, HeapTensor gradX) {
        for (int i = 0; i < y.size(); i++) {
            gradX.data()[gradX.offset() + i] = y.data()[y.offset() + i] > 0f ? gradY.data()[gradY.offset() + i] : 0f;
        }
    }

    @Override
    protected void doMaxPool2dForward(HeapTensor x, HeapTensor y, HeapTensor argmax) {
        ReferenceMaxPool.forward(x, y, argmax);
    }

    @Override
    protected void doMaxPool2dBackward(HeapTensor gradY, HeapTensor argmax, HeapTensor gradX) {
        ReferenceMaxPool.backward(gradY, argmax, gradX);
    }

    @Override
    protected void doAdaptiveAvgPool2dForward(HeapTensor x, HeapTensor y) {
        ReferenceAdaptiveAvgPool.forward(x, y);
    }

    @Override
    protected void doAdaptiveAvgPool2dBackward(HeapTensor gradY, HeapTensor gradX) {
        ReferenceAdaptiveAvgPool.backward(gradY, gradX);
    }

    @Override
    protected void doDropoutForward(HeapTensor x, float p, long seed, HeapTensor y, HeapTensor mask) {
        float keptScale = 1f / (1f - p);
        for (int i = 0; i < x.size(); i++) {
            float m = CounterRng.keep(seed, i, p) ? keptScale : 0f;
            mask.data()[mask.offset() + i] = m;
            y.data()[y.offset() + i] = x.data()[x.offset() + i] * m;
        }
    }

    @Override
    protected void doDropoutBackward(HeapTensor gradY, HeapTensor mask, HeapTensor gradX) {
        for (int i = 0; i < gradY.size(); i++) {
            gradX.data()[gradX.offset() + i] = gradY.data()[gradY.offset() + i] * mask.data()[mask.offset() + i];
        }
    }

    // ---------------------------------------------------------------- loss and optimizers

    @Override
    protected void doSoftmaxCrossEntropy(HeapTensor logits, HeapTensor labels, Reduction reduction,
                                         HeapTensor result, HeapTensor gradLogits) {
        ReferenceLoss.softmaxCrossEntropy(logits, labels, reduction, result, gradLogits);
    }

    @Override
    protected void doAdamStep(HeapTensor param, HeapTensor grad, HeapTensor m, HeapTensor v, AdamParams params,
                              int step) {
        ReferenceOptimizers.adam(param, grad, m, v, params, step);
    }

    @Override
    protected void doSgdStep(HeapTensor param, HeapTensor grad, HeapTensor momentumBuffer, SgdParams params,
                             boolean firstStep) {
        ReferenceOptimizers.sgd(param, grad, momentumBuffer, params, firstStep);
    }
}
