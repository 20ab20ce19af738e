package dev.vgg4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.core.Shape;
import dev.vgg4j.data.Batch;
import dev.vgg4j.data.DataLoader;
import dev.vgg4j.model.Parameter;
import dev.vgg4j.model.Vgg;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Reduction;
import dev.vgg4j.spi.Tensor;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * GradScaler's skip, backoff and growth on the reference backend, with inf and NaN gradients
 * injected directly and, through a training step, by a scale that overflows the backward.
 */
class LossScalerTest {
    private final Backend backend = TestBackends.reference();

    @AfterEach
    void tearDown() {
        backend.close();
    }

    @Test
    void finiteGradientsAreUnscaledAndTheStepRuns() {
        try (LossScaler scaler = new LossScaler(backend)) {
            List<Parameter> params = List.of(parameter("a", 1f * 65536, -3f * 65536), parameter("b", 0.5f * 65536));
            scaler.unscale(params);
            assertTrue(scaler.update(), "finite gradients: the optimizer steps");
            assertArrayEquals(new float[] {1f, -3f}, backend.download(params.get(0).grad()));
            assertArrayEquals(new float[] {0.5f}, backend.download(params.get(1).grad()));
            assertEquals(65536f, scaler.currentScale());
            assertEquals(1, scaler.goodSteps());
        }
    }

    @Test
    void anInfOrNanGradientSkipsTheStepAndHalvesTheScale() {
        try (LossScaler scaler = new LossScaler(backend)) {
            scaler.unscale(List.of(parameter("a", 1f), parameter("b", 2f, Float.POSITIVE_INFINITY)));
            assertFalse(scaler.update(), "an inf gradient: the step is skipped");
            assertEquals(32768f, scaler.currentScale());
            scaler.unscale(List.of(parameter("c", Float.NaN), parameter("d", 1f)));
            assertFalse(scaler.update(), "a NaN gradient, in the first tensor: skipped too");
            assertEquals(16384f, scaler.currentScale());
            assertEquals(2, scaler.skippedSteps());
            scaler.unscale(List.of(parameter("e", 1f)));
            assertTrue(scaler.update(), "the flag is cleared for the next step");
            assertEquals(16384f, scaler.currentScale());
        }
    }

    @Test
    void theScaleDoublesAfterGrowthIntervalFiniteStepsInARow() {
        try (LossScaler scaler = new LossScaler(backend, 8f, 3)) {
            List<Parameter> finite = List.of(parameter("a", 1f));
            List<Parameter> infinite = List.of(parameter("b", Float.NEGATIVE_INFINITY));
            step(scaler, finite, finite);
            step(scaler, infinite);
            assertEquals(4f, scaler.currentScale(), "backoff");
            assertEquals(0, scaler.goodSteps(), "a skip restarts the count");
            step(scaler, finite, finite);
            assertEquals(4f, scaler.currentScale(), "two of three");
            step(scaler, finite);
            assertEquals(8f, scaler.currentScale(), "third finite step in a row: growth");
            assertEquals(0, scaler.goodSteps());
        }
    }

    @Test
    void theDefaultsAreGradScalers() {
        assertEquals(65536f, LossScaler.INITIAL_SCALE);
        assertEquals(2000, LossScaler.GROWTH_INTERVAL);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LossScaler(backend, 0f, 10));
        assertTrue(e.getMessage().startsWith("initialScale"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LossScaler(backend, 1f, 0));
        assertTrue(e.getMessage().startsWith("growthInterval"), e.getMessage());
    }

    /** Powers of two are exact: a scaled step's parameters equal the unscaled step's bit for bit. */
    @Test
    void aScaledTrainingStepEqualsTheUnscaledOneExactly() {
        List<float[]> plain = afterOneStep(null);
        try (LossScaler scaler = new LossScaler(backend)) {
            List<float[]> scaled = afterOneStep(scaler);
            for (int i = 0; i < plain.size(); i++) {
                assertArrayEquals(plain.get(i), scaled.get(i), "parameter " + i);
            }
            assertEquals(1, scaler.goodSteps());
        }
    }

    /** A scale near float's top overflows the backward to inf: the step is skipped, the weights stay. */
    @Test
    void anOverflowingBackwardSkipsTheOptimizersStep() {
        try (Vgg model = TinyTask.model(backend); Adam adam = TinyTask.adam(backend, model);
             LossScaler scaler = new LossScaler(backend, 0x1p127f, 2000);
             GradientStep step = new GradientStep(model, Reduction.SUM, scaler);
             DataLoader loader = TinyTask.trainLoader(3)) {
            List<float[]> before = values(model);
            step.computeAndApply(firstBatch(loader), adam);
            assertEquals(1, scaler.skippedSteps());
            assertEquals(0x1p126f, scaler.currentScale());
            assertEquals(0, adam.steps(), "Adam did not step");
            List<float[]> after = values(model);
            for (int i = 0; i < before.size(); i++) {
                assertArrayEquals(before.get(i), after.get(i), model.parameters().get(i).name());
            }
        }
    }

    private List<float[]> afterOneStep(LossScaler scaler) {
        try (Vgg model = TinyTask.model(backend); Adam adam = TinyTask.adam(backend, model);
             GradientStep step = new GradientStep(model, Reduction.SUM, scaler);
             DataLoader loader = TinyTask.trainLoader(3)) {
            step.computeAndApply(firstBatch(loader), adam);
            assertEquals(1, adam.steps());
            return values(model);
        }
    }

    private static Batch firstBatch(DataLoader loader) {
        try (DataLoader.Epoch epoch = loader.epoch(0)) {
            return epoch.next();
        }
    }

    private List<float[]> values(Vgg model) {
        return model.parameters().stream().map(p -> backend.download(p.value())).toList();
    }

    @SafeVarargs
    private void step(LossScaler scaler, List<Parameter>... steps) {
        for (List<Parameter> grads : steps) {
            scaler.unscale(grads);
            scaler.update();
        }
    }

    /** A parameter whose gradient holds {@code grad}; its value is not used. */
    private Parameter parameter(String name, float... grad) {
        Tensor g = backend.upload(grad, Shape.of(grad.length));
        return new Parameter(name, backend.allocate(Shape.of(grad.length), 0f), g);
    }
}
