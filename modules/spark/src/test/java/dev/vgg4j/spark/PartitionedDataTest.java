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
import dev.vgg4j.train.EpochResult;
import dev.vgg4j.train.GradientStep;
import dev.vgg4j.train.Trainer;
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
    private static final ImagePipeline PIPELINE = ImagePipeline.recipe(new ImageSize(3, 32, 32), 16);
    private static JavaSparkContext spark;

    @BeforeAll
    static void start() {
        spark = new JavaSparkContext(SparkSetup.conf("local[2]", "PartitionedDataTest"));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** The trainer with no training loader: the engine's workers read the training set, the driver validates. */
    @Test
    void theTrainerRunsEpochsOverTheWorkersOwnParts(@TempDir Path dir) throws IOException {
        writeParts(dir);
        List<EpochResult> epochs;
        try (Backend backend = SparkTraining.backend();
                Model model = SparkTraining.config(false).withNumClasses(10).create(backend);
                Adam adam = new Adam(backend, model.parameters(), AdamParams.adam(1e-3f));
                SparkDataParallel engine = partitioned(spark, dir);
                DataLoader validation = new DataLoader(SparkTraining.dataset(SparkTraining.BATCH, 32, 3), PIPELINE,
                        DataLoader.Options.evaluation(SparkTraining.BATCH));
                Trainer trainer = Trainer.builder(model, adam).dataParallel(engine).validationLoader(validation)
                        .epochs(3).build()) {
            assertEquals(STEPS, trainer.batchesPerEpoch());
            epochs = trainer.fit().epochs();
        }
        double first = epochs.getFirst().train().loss();
        double last = epochs.getLast().train().loss();
        System.out.printf("partitioned, 2 workers, 3 epochs: training loss %.4f -> %.4f, validation %.4f -> %.4f%n",
                first, last, epochs.getFirst().validation().loss(), epochs.getLast().validation().loss());
        assertEquals(STEPS * SparkTraining.BATCH, epochs.getFirst().train().samples());
        assertTrue(last < first, "the training loss falls: " + first + " -> " + last);
    }

    /** Without batch norm, the partitioned run's parameters follow {@link #documentedSchedule}. */
    @Test
    void aGlobalBatchIsEachWorkersRowsOfItsOwnShuffledPart(@TempDir Path dir) throws IOException {
        writeParts(dir);
        double difference = SparkTraining.relativeDifference(documentedSchedule(dir), partitionedRun(spark, dir));
        System.out.printf("partitioned, %d steps: parameters differ from the documented schedule by %.3g%n", STEPS,
                difference);
        assertTrue(difference <= SparkDataParallelTest.TOLERANCE, "relative parameter difference " + difference);
    }

    /**
     * The parameters after epoch 0 of the documented schedule, computed here in one process: global
     * batch b is worker 0's rows then worker 1's, each positions {@code [8b, 8b+8)} of its own
     * part's shuffle (seed {@code hash(seed, w)}).
     */
    static List<float[]> documentedSchedule(Path dir) {
        int rows = SparkTraining.BATCH / 2;
        try (Backend backend = SparkTraining.backend();
                Model model = SparkTraining.config(false).withNumClasses(10).create(backend);
                Adam adam = new Adam(backend, model.parameters(), AdamParams.adam(1e-3f));
                GradientStep step = new GradientStep(model, Reduction.SUM)) {
            List<BatchSource> parts = List.of(
                    new BatchSource(Cifar10.loadBatches(dir, List.of("data_batch_1.bin")), PIPELINE),
                    new BatchSource(Cifar10.loadBatches(dir, List.of("data_batch_2.bin")), PIPELINE));
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
            return parameters(backend, model);
        }
    }

    /** The parameters after epoch 0 of the partitioned data in {@code dir} on two workers of {@code spark}. */
    static List<float[]> partitionedRun(JavaSparkContext spark, Path dir) {
        try (Backend backend = SparkTraining.backend();
                Model model = SparkTraining.config(false).withNumClasses(10).create(backend);
                Adam adam = new Adam(backend, model.parameters(), AdamParams.adam(1e-3f));
                SparkDataParallel engine = partitioned(spark, dir)) {
            engine.load(model, adam, Reduction.SUM);
            for (int b = 0; b < STEPS; b++) {
                engine.ownData().orElseThrow().step(0, b, 1e-3);
            }
            engine.syncToDriver();
            return parameters(backend, model);
        }
    }

    private static List<float[]> parameters(Backend backend, Model model) {
        List<float[]> values = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            values.add(backend.download(p.value()));
        }
        return values;
    }

    @Test
    void aPartAnExecutorCannotReadIsNamedWithTheExecutor(@TempDir Path dir) throws IOException {
        writeBatch(dir.resolve("data_batch_1.bin"), 1);
        writeMeta(dir);
        // the driver lists the name; the file is gone when the executor reads it
        Files.createSymbolicLink(dir.resolve("data_batch_2.bin"), dir.resolve("gone.bin"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> partitioned(spark, dir));
        String line = e.getMessage();
        System.out.println("unreadable part: " + line);
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.startsWith("--data-dir " + dir.toAbsolutePath()), line);
        assertTrue(line.contains("worker 1 cannot read its part [data_batch_2.bin]"), line);
        assertTrue(line.contains("on executor driver (host 127.0.0.1)"), line);
        assertTrue(line.contains("data_batch_2.bin: missing"), line);
    }

    private static SparkDataParallel partitioned(JavaSparkContext spark, Path dir) {
        return SparkDataParallel.partitioned(spark, 2, "cpu", 1, dir, PIPELINE, SparkTraining.BATCH, SEED);
    }

    static void writeParts(Path dir) throws IOException {
        writeBatch(dir.resolve("data_batch_1.bin"), 1);
        writeBatch(dir.resolve("data_batch_2.bin"), 2);
        writeMeta(dir);
    }

    /** {@link SparkTraining#dataset} at 32x32 in CIFAR-10's records: a label byte, then the [3, 32, 32] pixels. */
    static void writeBatch(Path file, long seed) throws IOException {
        Dataset images = SparkTraining.dataset(PART, 32, seed);
        int bytes = images.imageBytes();
        byte[] records = new byte[PART * (1 + bytes)];
        for (int i = 0; i < PART; i++) {
            records[i * (1 + bytes)] = (byte) images.label(i);
            images.copyImage(i, records, i * (1 + bytes) + 1);
        }
        Files.write(file, records);
    }

    static void writeMeta(Path dir) throws IOException {
        Files.write(dir.resolve("batches.meta.txt"), Collections.nCopies(10, "class"));
    }
}
