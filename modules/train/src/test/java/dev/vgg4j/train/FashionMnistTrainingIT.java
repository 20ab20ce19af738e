package dev.vgg4j.train;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vgg4j.data.DataLoader;
import dev.vgg4j.data.Dataset;
import dev.vgg4j.data.FashionMnist;
import dev.vgg4j.data.StratifiedSplit;
import dev.vgg4j.data.transform.ImagePipeline;
import dev.vgg4j.model.Vgg;
import dev.vgg4j.model.VggConfig;
import dev.vgg4j.spi.AdamParams;
import dev.vgg4j.spi.Backend;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The reference CPU run of issue 4: a width-reduced VGG11-BN trained on a few thousand real
 * Fashion-MNIST images (resized 28 -> 32, the recipe's normalisation) for 2 epochs with the
 * recipe's Adam, plateau schedule and summed cross-entropy, on the fastest CPU backend.
 */
class FashionMnistTrainingIT {
    private static final int TRAIN_AND_VAL_IMAGES = 16_000;
    private static final int TEST_IMAGES = 2000;
    private static final long SEED = 2026;

    @Test
    void reachesEightyPercentTestAccuracyInTwoEpochs() throws IOException {
        assumeTrue(FashionMnist.isPresent(FashionMnist.DEFAULT_DIR, FashionMnist.Part.TRAIN)
                        && FashionMnist.isPresent(FashionMnist.DEFAULT_DIR, FashionMnist.Part.TEST),
                "Fashion-MNIST is not installed at " + FashionMnist.DEFAULT_DIR
                        + " (apt-get install dataset-fashion-mnist); skipping the real-data training run");
        Dataset[] trainVal = StratifiedSplit.split(
                stratifiedSample(FashionMnist.load(FashionMnist.DEFAULT_DIR, FashionMnist.Part.TRAIN), TRAIN_AND_VAL_IMAGES),
                0.1, SEED);
        Dataset test = stratifiedSample(FashionMnist.load(FashionMnist.DEFAULT_DIR, FashionMnist.Part.TEST), TEST_IMAGES);
        ImagePipeline pipeline = ImagePipeline.recipe(test.imageSize(), 32);
        VggConfig config = VggConfig.named("vgg11_bn").withWidth(1.0 / 8).withInChannels(1).withSeed(SEED);

        MetricsRecorder metrics = new MetricsRecorder();
        TrainingResult result;
        try (Backend backend = TestBackends.fastestCpu(0);
             DataLoader train = new DataLoader(trainVal[0], pipeline, DataLoader.Options.training(32, SEED));
             DataLoader val = new DataLoader(trainVal[1], pipeline, DataLoader.Options.evaluation(256));
             DataLoader testLoader = new DataLoader(test, pipeline, DataLoader.Options.evaluation(256));
             Vgg model = Vgg.create(backend, config);
             Adam adam = new Adam(backend, model.parameters(), AdamParams.adam(1e-3f));
             Trainer trainer = Trainer.builder(model, adam)
                     .scheduler(new ReduceLROnPlateau(adam, ReduceLROnPlateau.Options.recipe()))
                     .trainLoader(train).validationLoader(val).testLoader(testLoader).epochs(2)
                     .listener(new ConsoleLogger(System.out::println)).listener(metrics).build()) {
            System.out.println("FashionMnistTrainingIT: " + config.name() + " width 1/8 on " + backend.name() + " ("
                    + backend.deviceDescription() + "), " + trainVal[0].size() + " training images");
            result = trainer.fit();
        }
        for (EpochResult epoch : result.epochs()) {
            System.out.printf("FashionMnistTrainingIT: epoch %d waited %.3f s for data in %.3f s of training%n",
                    epoch.epoch(), epoch.dataWaitSeconds(), epoch.trainSeconds());
        }
        double[] losses = metrics.stepLosses();
        double firstTen = Arrays.stream(losses, 0, 10).average().orElseThrow();
        double lastTen = Arrays.stream(losses, losses.length - 10, losses.length).average().orElseThrow();
        assertTrue(lastTen < 0.7 * firstTen, "training loss falls: first 10 steps " + firstTen + ", last 10 " + lastTen);
        assertTrue(result.epochs().get(1).train().loss() < result.epochs().get(0).train().loss(),
                "epoch 2 trains to a lower loss than epoch 1");
        double accuracy = result.test().orElseThrow().accuracy();
        assertTrue(accuracy >= 0.80, "test accuracy " + accuracy + " < 0.80");
    }

    /** {@code count} images of {@code all} with every class in its share. */
    private static Dataset stratifiedSample(Dataset all, int count) {
        int[] picked = StratifiedSplit.split(all.labels(), (double) count / all.size(), SEED).validation();
        return all.subset(all.name() + "-" + count, picked);
    }
}
