package dev.vgg4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.data.Dataset;
import dev.vgg4j.data.transform.ImagePipeline;
import dev.vgg4j.data.transform.ImageSize;
import dev.vgg4j.model.Model;
import dev.vgg4j.spi.AdamParams;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Reduction;
import dev.vgg4j.train.Adam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two workers on local[2], each reading its own CIFAR-10 batch file of {@link SparkTraining}'s halves images. */
class PartitionedDataTest {
    private static final int PART = 32;
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
        writeBatch(dir.resolve("data_batch_1.bin"), 1);
        writeBatch(dir.resolve("data_batch_2.bin"), 2);
        writeMeta(dir);
        ImagePipeline pipeline = ImagePipeline.recipe(new ImageSize(3, 32, 32), 16);
        double[] epochLoss = new double[3];
        try (Backend backend = SparkTraining.backend();
                Model model = SparkTraining.config(false).withNumClasses(10).create(backend);
                Adam adam = new Adam(backend, model.parameters(), AdamParams.adam(1e-3f));
                SparkDataParallel engine = SparkDataParallel.partitioned(spark, 2, "cpu", 1, dir, pipeline, 7)) {
            engine.load(model, adam, Reduction.SUM);
            int batches = engine.batchesPerEpoch(SparkTraining.BATCH);
            assertEquals(PART / (SparkTraining.BATCH / 2), batches, "each part fills 8 rows of a batch 4 times");
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

    @Test
    void aPartAnExecutorCannotReadIsNamedWithTheExecutor(@TempDir Path dir) throws IOException {
        writeBatch(dir.resolve("data_batch_1.bin"), 1);
        writeMeta(dir);
        // the driver lists the name; the file is gone when the executor reads it
        Files.createSymbolicLink(dir.resolve("data_batch_2.bin"), dir.resolve("gone.bin"));
        ImagePipeline pipeline = ImagePipeline.recipe(new ImageSize(3, 32, 32), 16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkDataParallel.partitioned(spark, 2, "cpu", 1, dir, pipeline, 7));
        String line = e.getMessage();
        System.out.println("unreadable part: " + line);
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.startsWith("--data-dir " + dir.toAbsolutePath()), line);
        assertTrue(line.contains("worker 1 cannot read its part [data_batch_2.bin]"), line);
        assertTrue(line.contains("on executor driver (host 127.0.0.1)"), line);
        assertTrue(line.contains("data_batch_2.bin: missing"), line);
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
