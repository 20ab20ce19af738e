package dev.vgg4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Reduction;
import dev.vgg4j.spi.Tensor;
import org.junit.jupiter.api.Test;

class CrossEntropyLossTest {

    @Test
    void summedLossAndCorrectCountAreTheSameForSumAndMean() {
        float[][] logits = {{1, 2, 3}, {1, 0, 0}};
        int[] labels = {2, 1};
        double expected = 0;
        for (int n = 0; n < 2; n++) {
            double lse = 0;
            for (float z : logits[n]) {
                lse += Math.exp(z);
            }
            expected += Math.log(lse) - logits[n][labels[n]];
        }
        try (Backend backend = TestBackends.reference()) {
            Tensor x = backend.upload(new float[] {1, 2, 3, 1, 0, 0}, Shape.matrix(2, 3));
            Tensor y = backend.allocate(Shape.of(2));
            backend.uploadLabels(labels, y);
            for (Reduction reduction : Reduction.values()) {
                try (CrossEntropyLoss loss = new CrossEntropyLoss(backend, reduction)) {
                    Tensor grad = loss.forwardBackward(x, y);
                    CrossEntropyLoss.Result r = loss.downloadResult();
                    assertEquals(expected, r.summedLoss(), 1e-5, reduction.name());
                    assertEquals(1, r.correct(), "row 0 predicts 2 (right), row 1 predicts 0 (wrong)");
                    assertEquals(2, r.samples());
                    float scale = reduction == Reduction.SUM ? 1f : 0.5f;
                    double softmax12 = Math.exp(0) / (Math.exp(1) + 2);
                    assertEquals((softmax12 - 1) * scale, backend.download(grad)[4], 1e-6);
                }
            }
        }
    }
}
