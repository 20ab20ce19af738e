package dev.vgg4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.vgg4j.data.DataLoader;
import dev.vgg4j.data.Dataset;
import dev.vgg4j.data.transform.ImagePipeline;
import dev.vgg4j.data.transform.ImageSize;
import dev.vgg4j.model.Vgg;
import dev.vgg4j.model.VggConfig;
import dev.vgg4j.spi.AdamParams;
import dev.vgg4j.spi.Backend;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The first training steps of the same model on the same batches give the same losses on the
 * fastest CPU backend and on the reference oracle (within 1e-4 relative): the whole step
 * (conv, BN, ReLU, pool, dropout, linear, loss, backward, Adam) agrees, not only each op.
 */
class BackendAgreementIT {
    private static final VggConfig CONFIG = VggConfig.named("vgg11_bn").withWidth(1.0 / 16).withSeed(11);
    private static final int BATCH = 8;
    private static final int STEPS = 4;

    @Test
    void firstStepsGiveTheSameLossesOnTheFastestBackendAndOnReference() {
        try (Backend fast = TestBackends.fastestCpu(0)) {
            assumeFalse(fast.name().equals("reference"), "no backend other than the reference is on the class path");
            MetricsRecorder fastRun = train(fast);
            MetricsRecorder referenceRun;
            try (Backend reference = TestBackends.reference()) {
                referenceRun = train(reference);
            }
            double[] expected = referenceRun.stepLosses();
            double[] actual = fastRun.stepLosses();
            assertEquals(STEPS, actual.length);
            for (int i = 0; i < STEPS; i++) {
                assertEquals(expected[i], actual[i], 1e-4 * Math.abs(expected[i]),
                        "step " + (i + 1) + " loss on " + fast.name() + " vs reference");
            }
            double expectedVal = referenceRun.epochs().getFirst().validation().loss();
            assertEquals(expectedVal, fastRun.epochs().getFirst().validation().loss(), 1e-4 * expectedVal,
                    "validation loss after the steps");
        }
    }

    private static MetricsRecorder train(Backend backend) {
        MetricsRecorder metrics = new MetricsRecorder();
        ImagePipeline pipeline = ImagePipeline.recipe(new ImageSize(3, 32, 32), 32);
        try (DataLoader train = new DataLoader(randomImages(BATCH * STEPS, 1), pipeline,
                     DataLoader.Options.training(BATCH, 3));
             DataLoader val = new DataLoader(randomImages(BATCH, 2), pipeline, DataLoader.Options.evaluation(BATCH));
             Vgg model = Vgg.create(backend, CONFIG);
             Adam adam = new Adam(backend, model.parameters(), AdamParams.adam(1e-3f));
             Trainer trainer = Trainer.builder(model, adam).trainLoader(train).validationLoader(val).epochs(1)
                     .listener(metrics).build()) {
            trainer.fit();
        }
        return metrics;
    }

    /** Uniform random CIFAR-sized images with random labels of 10 classes. */
    private static Dataset randomImages(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] pixels = new byte[count * 3 * 32 * 32];
        random.nextBytes(pixels);
        int[] labels = random.ints(count, 0, 10).toArray();
        return new Dataset("random-" + seed, pixels, labels, 3, 32, 32,
                List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
    }
}
