package dev.vgg4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.core.CounterRng;
import dev.vgg4j.data.Batch;
import dev.vgg4j.data.BatchSource;
import dev.vgg4j.data.DataLoader;
import dev.vgg4j.data.Dataset;
import dev.vgg4j.data.transform.ImagePipeline;
import dev.vgg4j.data.transform.ImageSize;
import dev.vgg4j.datasets.Cifar10;
import dev.vgg4j.model.Model;
import dev.vgg4j.model.Parameter;
import dev.vgg4j.spi.AdamParams;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Reduction;
import dev.vgg4j.train.Adam;
import dev.vgg4j.train.GradientStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two workers on local[2], each reading its own CIFAR-10 batch file of {@link SparkTraining}'s halves images. */
class PartitionedDataTest {
    private static final int PART = 32;
    /** Steps of an epoch: each part fills 8 rows of a batch of 16 four times. */
    private static final int STEPS = PART / (SparkTraining.BATCH / 2);
    private static final long SEED = 7;
    private static JavaSparkContext spark;

    @BeforeAll
    static void start() {
        spark = new JavaSparkContext(SparkSetup.conf("local[2]", "PartitionedDataTest"));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void twoWorkersTrainOnTheirOwnParts(@TempDir Path dir) throws IOException {
        writeParts(dir);
        ImagePipeline pipeline = ImagePipeline.recipe(new ImageSize(3, 32, 32), 16);
        double[] epochLoss = new double[3];
        try (Backend backend = SparkTraining.backend();
                Model model = SparkTraining.config(false).withNumClasses(10).create(backend);
                Adam adam = new Adam(backend, model.parameters(), AdamParams.adam(1e-3f));
                SparkDataParallel engine = SparkDataParallel.partitioned(spark, 2, "cpu", 1, dir, pipeline, SEED)) {
            engine.load(model, adam, Reduction.SUM);
            int batches = engine.batchesPerEpoch(SparkTraining.BATCH);
            assertEquals(STEPS, batches);
            for (int epoch = 0; epoch < epochLoss.length; epoch++) {
                for (int b = 0; b < batches; b++) {
                    epochLoss[epoch] += engine.step(epoch, b, SparkTraining.BATCH, 1e-3).summedLoss();
                }
            }
        }
        System.out.printf("partitioned, 2 workers: summed training loss per epoch %.3f, %.3f, %.3f%n",
                epochLoss[0], epochLoss[1], epochLoss[2]);
        assertTrue(epochLoss[2] < epochLoss[0], "the loss falls: " + epochLoss[0] + " -> " + epochLoss[2]);
    }

    /**
     * The documented schedule, computed here in one process: global batch b of epoch e is worker
     * 0's rows then worker 1's, each {@code positions [8b, 8b+8)} of its own part's shuffle (seed
     * {@code hash(seed, w)}). Without batch norm the partitioned run's parameters follow it.
     */
    @Test
    void aGlobalBatchIsEachWorkersRowsOfItsOwnShuffledPart(@TempDir Path dir) throws IOException {
        writeParts(dir);
        ImagePipeline pipeline = ImagePipeline.recipe(new ImageSize(3, 32, 32), 16);
        int rows = SparkTraining.BATCH / 2;
        List<float[]> expected = new ArrayList<>();
        List<float[]> actual = new ArrayList<>();
        try (Backend backend = SparkTraining.backend();
                Model model = SparkTraining.config(false).withNumClasses(10).create(backend);
                Adam adam = new Adam(backend, model.parameters(), AdamParams.adam(1e-3f));
                GradientStep step = new GradientStep(model, Reduction.SUM)) {
            List<BatchSource> parts = List.of(
                    new BatchSource(Cifar10.loadTrainingPart(dir, List.of("data_batch_1.bin")), pipeline),
                    new BatchSource(Cifar10.loadTrainingPart(dir, List.of("data_batch_2.bin")), pipeline));
            for (int b = 0; b < STEPS; b++) {
                float[] images = new float[SparkTraining.BATCH * 3 * 16 * 16];
                int[] labels = new int[SparkTraining.BATCH];
                for (int w = 0; w < 2; w++) {
                    long partSeed = CounterRng.hash(SEED, w);
                    int[] order = DataLoader.shuffledOrder(PART, partSeed, 0);
                    long[] seeds = new long[rows];
                    for (int i = 0; i < rows; i++) {
                        seeds[i] = DataLoader.augmentationSeed(partSeed, 0, b * rows + i);
                    }
                    Batch own = parts.get(w).batch(b, Arrays.copyOfRange(order, b * rows, (b + 1) * rows), seeds);
                    System.arraycopy(own.images(), 0, images, w * own.images().length, own.images().length);
                    System.arraycopy(own.labels(), 0, labels, w * rows, rows);
                }
                step.compute(new Batch(b, images, labels, new ImageSize(3, 16, 16)));
                adam.step();
            }
            for (Parameter p : model.parameters()) {
                expected.add(backend.download(p.value()));
            }
        }
        try (Backend backend = SparkTraining.backend();
                Model model = SparkTraining.config(false).withNumClasses(10).create(backend);
                Adam adam = new Adam(backend, model.parameters(), AdamParams.adam(1e-3f));
                SparkDataParallel engine = SparkDataParallel.partitioned(spark, 2, "cpu", 1, dir, pipeline, SEED)) {
            engine.load(model, adam, Reduction.SUM);
            for (int b = 0; b < STEPS; b++) {
                engine.step(0, b, SparkTraining.BATCH, 1e-3);
            }
            engine.syncToDriver();
            for (Parameter p : model.parameters()) {
                actual.add(backend.download(p.value()));
            }
        }
        double difference = SparkTraining.relativeDifference(expected, actual);
        System.out.printf("partitioned, %d steps: parameters differ from the documented schedule by %.3g%n", STEPS,
                difference);
        assertTrue(difference <= SparkDataParallelTest.TOLERANCE, "relative parameter difference " + difference);
    }

    @Test
    void aPartAnExecutorCannotReadIsNamedWithTheExecutor(@TempDir Path dir) throws IOException {
        writeBatch(dir.resolve("data_batch_1.bin"), 1);
        writeMeta(dir);
        // the driver lists the name; the file is gone when the executor reads it
        Files.createSymbolicLink(dir.resolve("data_batch_2.bin"), dir.resolve("gone.bin"));
        ImagePipeline pipeline = ImagePipeline.recipe(new ImageSize(3, 32, 32), 16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkDataParallel.partitioned(spark, 2, "cpu", 1, dir, pipeline, SEED));
        String line = e.getMessage();
        System.out.println("unreadable part: " + line);
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.startsWith("--data-dir " + dir.toAbsolutePath()), line);
        assertTrue(line.contains("worker 1 cannot read its part [data_batch_2.bin]"), line);
        assertTrue(line.contains("on executor driver (host 127.0.0.1)"), line);
        assertTrue(line.contains("data_batch_2.bin: missing"), line);
    }

    private static void writeParts(Path dir) throws IOException {
        writeBatch(dir.resolve("data_batch_1.bin"), 1);
        writeBatch(dir.resolve("data_batch_2.bin"), 2);
        writeMeta(dir);
    }

    /** {@link SparkTraining#dataset} at 32x32 in CIFAR-10's records: a label byte, then the [3, 32, 32] pixels. */
    private static void writeBatch(Path file, long seed) throws IOException {
        Dataset images = SparkTraining.dataset(PART, 32, seed);
        int bytes = images.imageBytes();
        byte[] records = new byte[PART * (1 + bytes)];
        for (int i = 0; i < PART; i++) {
            records[i * (1 + bytes)] = (byte) images.label(i);
            images.copyImage(i, records, i * (1 + bytes) + 1);
        }
        Files.write(file, records);
    }

    private static void writeMeta(Path dir) throws IOException {
        Files.write(dir.resolve("batches.meta.txt"), Collections.nCopies(10, "class"));
    }
}
