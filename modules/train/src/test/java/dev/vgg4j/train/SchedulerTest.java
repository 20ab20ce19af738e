package dev.vgg4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.core.Shape;
import dev.vgg4j.model.Parameter;
import dev.vgg4j.model.io.CheckpointException;
import dev.vgg4j.spi.AdamParams;
import dev.vgg4j.spi.Backend;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchedulerTest {
    /** The validation losses the recipe printed for its 30 epochs. */
    private static final double[] RECIPE_VAL_LOSSES = {
        1.81580, 1.38543, 1.28278, 1.19473, 0.88059, 0.71676, 0.69538, 0.77932, 0.64442, 0.55705,
        0.54697, 0.51530, 0.52571, 0.52763, 0.51354, 0.49283, 0.60646, 0.68762, 0.55200, 0.52681,
        0.54211, 0.59634, 0.59584, 0.60467, 0.61155, 0.61680, 0.62156, 0.61393, 0.62117, 0.61320};

    private Backend backend;
    private Adam adam;

    @BeforeEach
    void setUp() {
        backend = TestBackends.reference();
        Parameter p = new Parameter("w", backend.allocate(Shape.of(2), 1f), backend.allocate(Shape.of(2), 0f));
        adam = new Adam(backend, List.of(p), AdamParams.adam(1e-3f));
        adam.setLearningRate(0.001);
    }

    @AfterEach
    void tearDown() {
        backend.close();
    }

    @Test
    void plateauReducesAfterTheRecipesEpochsWithTheRecipesLines() {
        ReduceLROnPlateau plateau = new ReduceLROnPlateau(adam, ReduceLROnPlateau.Options.recipe());
        List<String> lines = new ArrayList<>();
        for (double loss : RECIPE_VAL_LOSSES) {
            plateau.step(loss).ifPresent(lines::add);
        }
        assertEquals(List.of(
                "Epoch 00019: reducing learning rate of group 0 to 1.0000e-04.",
                "Epoch 00022: reducing learning rate of group 0 to 1.0000e-05.",
                "Epoch 00025: reducing learning rate of group 0 to 1.0000e-06.",
                "Epoch 00028: reducing learning rate of group 0 to 1.0000e-07."), lines);
        assertEquals(0.001 * 0.1 * 0.1 * 0.1 * 0.1, adam.learningRate(), 0);
        assertEquals(0.49283, plateau.best(), 0);
    }

    @Test
    void improvementSmallerThanRelativeThresholdCountsAsBad() {
        ReduceLROnPlateau plateau = new ReduceLROnPlateau(adam, ReduceLROnPlateau.Options.recipe().withPatience(0));
        plateau.step(1.0);
        // 1.0 * (1 - 1e-4) = 0.9999: 0.99995 is not better, so with patience 0 the rate drops at once
        assertTrue(plateau.step(0.99995).isPresent());
        assertEquals(1.0, plateau.best(), 0);
    }

    @Test
    void cooldownSkipsBadEpochsAndMinLrStopsReductions() {
        ReduceLROnPlateau plateau = new ReduceLROnPlateau(adam,
                ReduceLROnPlateau.Options.recipe().withPatience(0).withCooldown(2).withMinLr(2e-5));
        List<Optional<String>> out = new ArrayList<>();
        for (int epoch = 1; epoch <= 8; epoch++) {
            out.add(plateau.step(1.0));
        }
        // epoch 1 sets the best; 2 reduces; 3-4 cool down; 5 reduces (to the 2e-5 floor); 6-7 cool down;
        // 8 would reduce but the floor leaves nothing to lower
        List<Boolean> reduced = out.stream().map(Optional::isPresent).toList();
        assertEquals(List.of(false, true, false, false, true, false, false, false), reduced);
        assertEquals(2e-5, adam.learningRate(), 0);
    }

    @Test
    void plateauStateSurvivesACheckpoint() throws CheckpointException {
        ReduceLROnPlateau first = new ReduceLROnPlateau(adam, ReduceLROnPlateau.Options.recipe());
        ReduceLROnPlateau second = new ReduceLROnPlateau(adam, ReduceLROnPlateau.Options.recipe());
        for (int i = 0; i < 17; i++) {
            first.step(RECIPE_VAL_LOSSES[i]);
        }
        second.restoreMetadata(first.stateMetadata(), "test");
        assertTrue(second.step(RECIPE_VAL_LOSSES[17]).isEmpty());
        assertEquals("Epoch 00019: reducing learning rate of group 0 to 1.0000e-04.",
                second.step(RECIPE_VAL_LOSSES[18]).orElseThrow());
    }

    @Test
    void stepLrMultipliesByGammaEveryStepSizeEpochs() {
        EpochSchedule step = EpochSchedule.stepLr(adam, 3, 0.5);
        double[] rates = new double[7];
        for (int i = 0; i < rates.length; i++) {
            step.step(Double.NaN);
            rates[i] = adam.learningRate();
        }
        assertEquals(0.001, rates[1], 1e-15);
        assertEquals(0.0005, rates[2], 1e-15);
        assertEquals(0.0005, rates[4], 1e-15);
        assertEquals(0.00025, rates[5], 1e-15);
    }

    @Test
    void cosineFallsFromBaseToEtaMinOverTMax() {
        EpochSchedule cosine = EpochSchedule.cosine(adam, 4, 1e-5);
        double[] rates = new double[4];
        for (int i = 0; i < 4; i++) {
            cosine.step(0);
            rates[i] = adam.learningRate();
        }
        double mid = 1e-5 + (0.001 - 1e-5) / 2;
        assertEquals(mid, rates[1], 1e-15, "halfway the cosine is at the midpoint");
        assertEquals(1e-5, rates[3], 1e-15);
        assertTrue(rates[0] > rates[1] && rates[1] > rates[2] && rates[2] > rates[3]);
    }
}
