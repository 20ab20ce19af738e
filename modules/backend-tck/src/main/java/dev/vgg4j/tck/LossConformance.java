package dev.vgg4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vgg4j.core.Shape;
import dev.vgg4j.core.ShapeException;
import dev.vgg4j.spi.Reduction;
import dev.vgg4j.spi.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Softmax cross-entropy: loss (sum and mean), count of correct argmax predictions and gradient. */
public abstract class LossConformance extends OpConformance {

    protected LossConformance(BackendConformance kit) {
        super(kit);
    }

    /** Logits spread over [-scale, scale); a third of the rows get their label as a clear maximum. */
    private Given logits(int n, int k, float scale, int[] labels) {
        float[] z = randomValues(n * k);
        for (int i = 0; i < z.length; i++) {
            z[i] *= scale;
        }
        for (int r = 0; r < n; r += 3) {
            z[r * k + labels[r]] = scale + 1f;
        }
        return given(z, Shape.matrix(n, k));
    }

    private Tensor labelTensor(int[] labels) {
        Tensor t = poisoned(Shape.of(labels.length));
        backend.uploadLabels(labels, t);
        return t;
    }

    @ParameterizedTest(name = "N={0} K={1} scale={2} {3}")
    @CsvSource({"128, 10, 3, SUM", "128, 10, 3, MEAN", "7, 1000, 5, SUM", "1, 10, 1, MEAN", "5, 1, 2, SUM",
                "33, 10, 60, MEAN"})
    void lossCountAndGradientMatchOracle(int n, int k, float scale, Reduction reduction) {
        int[] labels = random.ints(n, 0, k).toArray();
        Given z = logits(n, k, scale, labels);
        Tensor result = poisoned(Shape.of(2));
        Tensor grad = poisoned(z.tensor().shape());

        backend.softmaxCrossEntropy(z.tensor(), labelTensor(labels), reduction, result, grad);

        boolean mean = reduction == Reduction.MEAN;
        float[] r = read(result);
        Closeness.assertClose("softmaxCrossEntropy loss", new float[] {r[0]},
                new double[] {LossOracle.loss(n, k, z.doubles(), labels, mean)}, tolerances().forSumOf(n));
        assertEquals(LossOracle.correct(n, k, z.doubles(), labels), r[1], "softmaxCrossEntropy correct count");
        Closeness.assertClose("softmaxCrossEntropy gradient", read(grad),
                LossOracle.gradient(n, k, z.doubles(), labels, mean), tolerances().forSumOf(k));
    }

    /** Row 1 ties at classes 0 and 1 with label 1 (not counted); rows 2 and 3 have the label as first maximum. */
    @Test
    void tiedMaximumCountsOnlyWhenTheFirstIsTheLabel() {
        float[] z = {2f, 2f, 0f, 1f, 3f, 3f, 0.5f, 0.5f, 0.5f};
        int[] labels = {1, 1, 0};
        Tensor result = poisoned(Shape.of(2));
        backend.softmaxCrossEntropy(backend.upload(z, Shape.matrix(3, 3)), labelTensor(labels), Reduction.SUM,
                result, null);
        assertEquals(2f, read(result)[1], "correct count with tied maxima");
    }

    /** L = loss(z); the op's gradient must be dL/dz for both reductions. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"SUM", "MEAN"})
    void gradientMatchesNumericalGradient(Reduction reduction) {
        int n = 4;
        int k = 6;
        int[] labels = random.ints(n, 0, k).toArray();
        Given z = logits(n, k, 2f, labels);
        Tensor result = poisoned(Shape.of(2));
        Tensor grad = poisoned(z.tensor().shape());
        backend.softmaxCrossEntropy(z.tensor(), labelTensor(labels), reduction, result, grad);

        double[] zd = z.doubles();
        boolean mean = reduction == Reduction.MEAN;
        Closeness.assertClose("softmaxCrossEntropy gradient vs numerical", read(grad),
                NumericalGradient.at(v -> LossOracle.loss(n, k, v, labels, mean), zd,
                        NumericalGradient.sample(zd.length, zd.length, random)),
                tolerances().gradient());
    }

    @Test
    void rejectsMismatchedShapes() {
        Tensor z = given(Shape.matrix(4, 10)).tensor();
        Tensor labels = labelTensor(new int[] {1, 2, 3});
        Tensor result = poisoned(Shape.of(2));
        ShapeMessages.assertNames(assertThrows(ShapeException.class,
                () -> backend.softmaxCrossEntropy(z, labels, Reduction.SUM, result, null)),
                "softmaxCrossEntropy", labels.shape(), Shape.of(4));
        Tensor goodLabels = labelTensor(new int[] {1, 2, 3, 4});
        Tensor wrongGrad = poisoned(Shape.matrix(4, 9));
        ShapeMessages.assertNames(assertThrows(ShapeException.class,
                () -> backend.softmaxCrossEntropy(z, goodLabels, Reduction.SUM, result, wrongGrad)),
                "softmaxCrossEntropy", wrongGrad.shape(), z.shape());
        Tensor wrongResult = poisoned(Shape.of(1));
        ShapeMessages.assertNames(assertThrows(ShapeException.class,
                () -> backend.softmaxCrossEntropy(z, goodLabels, Reduction.SUM, wrongResult, null)),
                "softmaxCrossEntropy", wrongResult.shape(), result.shape());
    }
}
