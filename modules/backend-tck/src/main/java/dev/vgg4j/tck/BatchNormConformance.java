package dev.vgg4j.tck;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vgg4j.core.Shape;
import dev.vgg4j.core.ShapeException;
import dev.vgg4j.spi.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * BatchNorm2d: training forward (output, saved statistics, running-stat update with momentum 0.1
 * and the unbiased variance), inference forward, and the backward checked by central differences
 * of the training forward.
 */
public abstract class BatchNormConformance extends OpConformance {
    private static final float MOMENTUM = 0.1f;
    private static final float EPS = 1e-5f;

    protected BatchNormConformance(BackendConformance kit) {
        super(kit);
    }

    /** VGG16-BN's channel counts at their spatial sizes, batch 1 and 2, and awkward ones (M = N*H*W >= 2). */
    static List<Shape> shapes() {
        return List.of(
                Shape.nchw(1, 64, 32, 32), Shape.nchw(2, 128, 25, 25), Shape.nchw(2, 256, 8, 8),
                Shape.nchw(1, 512, 3, 3), Shape.nchw(2, 512, 1, 1), Shape.nchw(1, 13, 7, 7),
                Shape.nchw(2, 3, 1, 3), Shape.nchw(1, 5, 25, 25));
    }

    /**
     * Shapes small enough to differentiate every input numerically. M = 2 is left out: with two
     * values per channel xhat is +-1 and the true gradX is ~eps, pure cancellation noise.
     */
    static List<Shape> smallShapes() {
        return List.of(Shape.nchw(2, 3, 2, 3), Shape.nchw(1, 2, 3, 3), Shape.nchw(3, 5, 1, 1));
    }

    /** Per-channel parameters shifted away from the defaults (gamma 1, beta 0, stats 0 and 1). */
    private Given channelValues(int c, double center) {
        float[] v = randomValues(c);
        for (int i = 0; i < c; i++) {
            v[i] = (float) (center + 0.5 * v[i]);
        }
        return given(v, Shape.of(c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.vgg4j.tck.BatchNormConformance#shapes")
    void trainForwardMatchesOracle(Shape s) {
        int c = s.c();
        Given x = given(shiftedValues(s), s);
        Given gamma = channelValues(c, 1.0);
        Given beta = channelValues(c, 0.0);
        Given runningMean = channelValues(c, 0.2);
        Given runningVar = channelValues(c, 1.0);
        Tensor y = poisoned(s);
        Tensor saveMean = poisoned(Shape.of(c));
        Tensor saveInvStd = poisoned(Shape.of(c));

        backend.batchNormTrainForward(x.tensor(), gamma.tensor(), beta.tensor(), runningMean.tensor(),
                runningVar.tensor(), MOMENTUM, EPS, y, saveMean, saveInvStd);

        BatchNormOracle.Train expected = BatchNormOracle.trainForward(s.n(), c, s.h() * s.w(), x.doubles(),
                gamma.doubles(), beta.doubles(), runningMean.doubles(), runningVar.doubles(), MOMENTUM, EPS);
        double tol = tolerances().forSumOf((long) s.n() * s.h() * s.w());
        Closeness.assertClose("batchNormTrainForward y " + s, read(y), expected.y(), tol);
        Closeness.assertClose("batchNormTrainForward saveMean " + s, read(saveMean), expected.mean(), tol);
        Closeness.assertClose("batchNormTrainForward saveInvStd " + s, read(saveInvStd), expected.invStd(), tol);
        Closeness.assertClose("batchNormTrainForward runningMean " + s, read(runningMean.tensor()),
                expected.runningMean(), tol);
        Closeness.assertClose("batchNormTrainForward runningVar (unbiased) " + s, read(runningVar.tensor()),
                expected.runningVar(), tol);
    }

    /** Values with a per-channel offset and spread, so that the mean and variance are far from 0 and 1. */
    private float[] shiftedValues(Shape s) {
        float[] v = randomValues(s.size());
        int plane = s.h() * s.w();
        for (int i = 0; i < v.length; i++) {
            int ch = (i / plane) % s.c();
            v[i] = v[i] * (1 + ch % 3) + 0.1f * (ch % 5);
        }
        return v;
    }

    @Test
    void runningStatsFollowSeveralSteps() {
        Shape s = Shape.nchw(2, 6, 5, 5);
        Given gamma = channelValues(6, 1.0);
        Given beta = channelValues(6, 0.0);
        Tensor runningMean = backend.allocate(Shape.of(6), 0f);
        Tensor runningVar = backend.allocate(Shape.of(6), 1f);
        double[] mean = new double[6];
        double[] var = new double[6];
        Arrays.fill(var, 1.0);
        Tensor y = poisoned(s);
        Tensor saveMean = poisoned(Shape.of(6));
        Tensor saveInvStd = poisoned(Shape.of(6));
        for (int step = 0; step < 3; step++) {
            Given x = given(shiftedValues(s), s);
            backend.batchNormTrainForward(x.tensor(), gamma.tensor(), beta.tensor(), runningMean, runningVar,
                    MOMENTUM, EPS, y, saveMean, saveInvStd);
            BatchNormOracle.Train t = BatchNormOracle.trainForward(2, 6, 25, x.doubles(), gamma.doubles(),
                    beta.doubles(), mean, var, MOMENTUM, EPS);
            mean = t.runningMean();
            var = t.runningVar();
        }
        Closeness.assertClose("runningMean after 3 steps", read(runningMean), mean, tolerances().forSumOf(50));
        Closeness.assertClose("runningVar after 3 steps", read(runningVar), var, tolerances().forSumOf(50));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.vgg4j.tck.BatchNormConformance#shapes")
    void inferenceForwardUsesRunningStats(Shape s) {
        int c = s.c();
        Given x = given(s);
        Given gamma = channelValues(c, 1.0);
        Given beta = channelValues(c, 0.0);
        Given runningMean = channelValues(c, 0.2);
        Given runningVar = channelValues(c, 1.0);
        Tensor y = poisoned(s);

        backend.batchNormInferenceForward(x.tensor(), gamma.tensor(), beta.tensor(), runningMean.tensor(),
                runningVar.tensor(), EPS, y);

        Closeness.assertClose("batchNormInferenceForward " + s, read(y),
                BatchNormOracle.inferenceForward(s.n(), c, s.h() * s.w(), x.doubles(), gamma.doubles(),
                        beta.doubles(), runningMean.doubles(), runningVar.doubles(), EPS),
                tolerances().forward());
    }

    /**
     * L = sum(R * bn_train(x, gamma, beta)); the backward with gradY = R and the forward's saved
     * statistics must give dL/dx, dL/dgamma, dL/dbeta. Large shapes sample 40 coordinates of x.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.vgg4j.tck.BatchNormConformance#gradientShapes")
    void backwardMatchesNumericalGradient(Shape s) {
        int c = s.c();
        int plane = s.h() * s.w();
        Given x = given(shiftedValues(s), s);
        Given gamma = channelValues(c, 1.0);
        Given beta = channelValues(c, 0.0);
        Given r = given(s);
        Tensor y = poisoned(s);
        Tensor saveMean = poisoned(Shape.of(c));
        Tensor saveInvStd = poisoned(Shape.of(c));
        Tensor gx = poisoned(s);
        Tensor gGamma = poisoned(Shape.of(c));
        Tensor gBeta = poisoned(Shape.of(c));

        backend.batchNormTrainForward(x.tensor(), gamma.tensor(), beta.tensor(), backend.allocate(Shape.of(c), 0f),
                backend.allocate(Shape.of(c), 1f), MOMENTUM, EPS, y, saveMean, saveInvStd);
        backend.batchNormBackward(x.tensor(), r.tensor(), gamma.tensor(), saveMean, saveInvStd, gx, gGamma, gBeta);

        double[] xd = x.doubles();
        double[] gd = gamma.doubles();
        double[] bd = beta.doubles();
        double[] rd = r.doubles();
        double[] zeros = new double[c];
        double[] ones = new double[c];
        Arrays.fill(ones, 1.0);
        int[] xi = NumericalGradient.sample(xd.length, 40, random);
        int[] ci = NumericalGradient.sample(c, 40, random);
        double tol = tolerances().gradient();
        Closeness.assertClose("batchNormBackward gradX vs numerical " + s, NumericalGradient.pick(read(gx), xi),
                NumericalGradient.at(v -> NumericalGradient.project(BatchNormOracle.trainForward(
                        s.n(), c, plane, v, gd, bd, zeros, ones, MOMENTUM, EPS).y(), rd), xd, xi), tol);
        Closeness.assertClose("batchNormBackward gradGamma vs numerical " + s, NumericalGradient.pick(read(gGamma), ci),
                NumericalGradient.at(v -> NumericalGradient.project(BatchNormOracle.trainForward(
                        s.n(), c, plane, xd, v, bd, zeros, ones, MOMENTUM, EPS).y(), rd), gd, ci), tol);
        Closeness.assertClose("batchNormBackward gradBeta vs numerical " + s, NumericalGradient.pick(read(gBeta), ci),
                NumericalGradient.at(v -> NumericalGradient.project(BatchNormOracle.trainForward(
                        s.n(), c, plane, xd, gd, v, zeros, ones, MOMENTUM, EPS).y(), rd), bd, ci), tol);
    }

    /** Small shapes plus two VGG-sized ones, sampled. */
    static List<Shape> gradientShapes() {
        List<Shape> all = new ArrayList<>(smallShapes());
        all.add(Shape.nchw(2, 64, 8, 8));
        all.add(Shape.nchw(2, 512, 2, 2));
        return all;
    }

    @Test
    void rejectsMismatchedShapes() {
        Shape s = Shape.nchw(2, 4, 3, 3);
        Tensor x = given(s).tensor();
        Tensor gamma = given(Shape.of(5)).tensor();
        Tensor c4 = given(Shape.of(4)).tensor();
        Tensor y = poisoned(s);
        ShapeMessages.assertNames(assertThrows(ShapeException.class,
                () -> backend.batchNormTrainForward(x, gamma, c4, c4, c4, MOMENTUM, EPS, y, c4, c4)),
                "batchNormTrainForward", gamma.shape(), c4.shape());

        Tensor wrongY = poisoned(Shape.nchw(2, 4, 3, 2));
        ShapeMessages.assertNames(assertThrows(ShapeException.class,
                () -> backend.batchNormInferenceForward(x, c4, c4, c4, c4, EPS, wrongY)),
                "batchNormInferenceForward", wrongY.shape(), s);

        Tensor gy = given(Shape.nchw(1, 4, 3, 3)).tensor();
        ShapeMessages.assertNames(assertThrows(ShapeException.class,
                () -> backend.batchNormBackward(x, gy, c4, c4, c4, poisoned(s), c4, c4)),
                "batchNormBackward", gy.shape(), s);

        Tensor single = given(Shape.nchw(1, 4, 1, 1)).tensor();
        Tensor singleY = poisoned(single.shape());
        ShapeMessages.assertNames(assertThrows(ShapeException.class,
                () -> backend.batchNormTrainForward(single, c4, c4, c4, c4, MOMENTUM, EPS, singleY, c4, c4)),
                "batchNormTrainForward", single.shape());
    }
}
