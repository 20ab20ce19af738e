package dev.vgg4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vgg4j.data.DataLoader;
import dev.vgg4j.data.Dataset;
import dev.vgg4j.data.transform.ImagePipeline;
import dev.vgg4j.data.transform.ImageSize;
import dev.vgg4j.model.Vgg;
import dev.vgg4j.model.VggConfig;
import dev.vgg4j.spi.AdamParams;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Reduction;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The recipe's exact configuration, vgg16_bn on 3x32x32 images resized to 50x50, batch 128, Adam
 * 1e-3, ReduceLROnPlateau(factor 0.1, patience 2), CrossEntropyLoss(reduction="sum"), running one
 * epoch of two training steps and a validation batch on the fastest CPU backend. It costs about
 * half a minute on 2 cores, so it is opt-in: {@code -Dvgg4j.recipe=true}.
 */
class RecipeConfigurationIT {
    private static final int BATCH = 128;
    private static final int STEPS = 2;

    @Test
    void recipeConfigurationTrainsOnTheCpuBackend() {
        assumeTrue(Boolean.getBoolean("vgg4j.recipe"),
                "the full-size recipe steps are opt-in: run with -Dvgg4j.recipe=true");
        ImagePipeline pipeline = ImagePipeline.recipe(new ImageSize(3, 32, 32), 50);
        MetricsRecorder metrics = new MetricsRecorder();
        try (Backend backend = TestBackends.fastestCpu(0);
             DataLoader train = new DataLoader(cifarShaped(BATCH * STEPS, 1), pipeline,
                     DataLoader.Options.training(BATCH, 42));
             DataLoader val = new DataLoader(cifarShaped(BATCH, 2), pipeline, DataLoader.Options.evaluation(BATCH));
             Vgg model = Vgg.create(backend, VggConfig.recipe());
             Adam adam = new Adam(backend, model.parameters(), AdamParams.adam(1e-3f));
             Trainer trainer = Trainer.builder(model, adam)
                     .scheduler(new ReduceLROnPlateau(adam, ReduceLROnPlateau.Options.recipe()))
                     .reduction(Reduction.SUM)
                     .trainLoader(train).validationLoader(val).epochs(1)
                     .listener(new ConsoleLogger(System.out::println)).listener(metrics).build()) {
            System.out.println("RecipeConfigurationIT: " + model.config() + " on " + backend.name() + " ("
                    + backend.deviceDescription() + ")");
            trainer.fit();
        }
        assertEquals(STEPS, metrics.steps().size());
        for (StepResult step : metrics.steps()) {
            assertEquals(BATCH, step.samples());
            assertTrue(Double.isFinite(step.loss()) && step.loss() > 0, "step loss " + step.loss());
        }
        EpochResult epoch = metrics.epochs().getFirst();
        System.out.printf("RecipeConfigurationIT: %.2f images/s over %d steps of batch %d%n",
                epoch.imagesPerSecond(), STEPS, BATCH);
        assertEquals(BATCH, epoch.validation().samples());
    }

    /** Random CIFAR-10-shaped images (3x32x32 uint8) and labels. */
    private static Dataset cifarShaped(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] pixels = new byte[count * 3 * 32 * 32];
        random.nextBytes(pixels);
        return new Dataset("cifar-shaped-" + seed, pixels, random.ints(count, 0, 10).toArray(), 3, 32, 32,
                List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"));
    }
}
