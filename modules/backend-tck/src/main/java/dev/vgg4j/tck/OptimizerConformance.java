package dev.vgg4j.tck;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.core.Shape;
import dev.vgg4j.core.ShapeException;
import dev.vgg4j.spi.AdamParams;
import dev.vgg4j.spi.SgdParams;
import dev.vgg4j.spi.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Adam, AdamW and SGD over several steps with a fresh gradient each step, against a float64 oracle.
 * Parameters are compared by their change from the start, so that an error in the small update is
 * not hidden by the size of the parameter.
 */
public abstract class OptimizerConformance extends OpConformance {
    private static final int STEPS = 5;
    private static final Shape SHAPE = Shape.matrix(67, 129);

    protected OptimizerConformance(BackendConformance kit) {
        super(kit);
    }

    static List<AdamParams> adamVariants() {
        return List.of(
                AdamParams.adam(0.01f),
                new AdamParams(0.01f, 0.8f, 0.99f, 1e-6f, 0.05f, false),
                new AdamParams(0.01f, 0.9f, 0.999f, 1e-8f, 0.1f, true));
    }

    static List<SgdParams> sgdVariants() {
        return List.of(
                new SgdParams(0.1f, 0f, 0f, 0f, false),
                new SgdParams(0.1f, 0.9f, 0f, 0f, false),
                new SgdParams(0.1f, 0.9f, 0.2f, 5e-4f, false),
                new SgdParams(0.1f, 0.9f, 0f, 1e-2f, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.vgg4j.tck.OptimizerConformance#adamVariants")
    void adamMatchesOracleOverSeveralSteps(AdamParams h) {
        Given param = given(SHAPE);
        Tensor m = backend.allocate(SHAPE, 0f);
        Tensor v = backend.allocate(SHAPE, 0f);
        double[] p = param.doubles();
        double[] md = new double[SHAPE.size()];
        double[] vd = new double[SHAPE.size()];
        for (int step = 1; step <= STEPS; step++) {
            Given grad = given(SHAPE);
            backend.adamStep(param.tensor(), grad.tensor(), m, v, h, step);
            OptimizerOracle.adam(p, grad.doubles(), md, vd, h, step);
        }
        assertChange("adamStep param", param, p);
        Closeness.assertClose("adamStep m", read(m), md, tolerances().forward());
        Closeness.assertClose("adamStep v", read(v), vd, tolerances().forward());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.vgg4j.tck.OptimizerConformance#sgdVariants")
    void sgdMatchesOracleOverSeveralSteps(SgdParams h) {
        Given param = given(SHAPE);
        Tensor buf = h.momentum() == 0f ? null : poisoned(SHAPE);
        double[] p = param.doubles();
        double[] bufd = new double[SHAPE.size()];
        for (int step = 1; step <= STEPS; step++) {
            Given grad = given(SHAPE);
            backend.sgdStep(param.tensor(), grad.tensor(), buf, h, step == 1);
            OptimizerOracle.sgd(p, grad.doubles(), bufd, h, step == 1);
        }
        assertChange("sgdStep param", param, p);
        if (buf != null) {
            Closeness.assertClose("sgdStep momentum buffer", read(buf), bufd, tolerances().forward());
        }
    }

    /** Compares {@code after - before} of the backend's parameter with the oracle's. */
    private void assertChange(String what, Given param, double[] expectedAfter) {
        float[] after = read(param.tensor());
        double[] change = new double[after.length];
        double[] expectedChange = new double[after.length];
        for (int i = 0; i < after.length; i++) {
            change[i] = (double) after[i] - param.values()[i];
            expectedChange[i] = expectedAfter[i] - param.values()[i];
        }
        Closeness.assertClose(what + " (change over " + STEPS + " steps)", change, expectedChange,
                tolerances().forSumOf(1024));
    }

    @Test
    void rejectsBadArguments() {
        Tensor p = given(SHAPE).tensor();
        Tensor g = given(SHAPE).tensor();
        Tensor wrong = poisoned(Shape.matrix(67, 128));
        ShapeMessages.assertNames(assertThrows(ShapeException.class,
                () -> backend.adamStep(p, g, wrong, poisoned(SHAPE), AdamParams.adam(1e-3f), 1)),
                "adamStep", wrong.shape(), SHAPE);
        IllegalArgumentException step0 = assertThrows(IllegalArgumentException.class,
                () -> backend.adamStep(p, g, poisoned(SHAPE), poisoned(SHAPE), AdamParams.adam(1e-3f), 0));
        assertTrue(step0.getMessage().contains("adamStep"), step0.getMessage());
        ShapeMessages.assertNames(assertThrows(ShapeException.class,
                () -> backend.sgdStep(p, wrong, null, new SgdParams(0.1f, 0f, 0f, 0f, false), true)),
                "sgdStep", wrong.shape(), SHAPE);
        IllegalArgumentException noBuffer = assertThrows(IllegalArgumentException.class,
                () -> backend.sgdStep(p, g, null, new SgdParams(0.1f, 0.9f, 0f, 0f, false), true));
        assertTrue(noBuffer.getMessage().contains("sgdStep"), noBuffer.getMessage());
    }
}
