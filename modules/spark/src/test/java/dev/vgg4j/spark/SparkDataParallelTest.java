package dev.vgg4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.train.EpochResult;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer with gradients from two Spark workers (local mode, one JVM) against the one-process trainer. */
class SparkDataParallelTest {
    /** Measured: 0 to 2e-7 on this model (summation order only); the bound leaves rounding room. */
    static final double TOLERANCE = 1e-5;
    private static final AtomicInteger INJECTED = new AtomicInteger();
    private static JavaSparkContext spark;

    @BeforeAll
    static void start() {
        // two task threads; a failed task is retried up to 4 times (local mode's default is never)
        spark = new JavaSparkContext(SparkSetup.conf("local[2,4]", "SparkDataParallelTest"));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static SparkDataParallel twoWorkers() {
        return new SparkDataParallel(spark, 2, "cpu", 1, FloatBytes.FLOAT32);
    }

    @Test
    void twoWorkersFollowTheSingleProcessRunWithoutBatchNorm() {
        SparkTraining.Outcome single = SparkTraining.train(SparkTraining.config(false), 1, null);
        SparkTraining.Outcome distributed;
        try (SparkDataParallel engine = twoWorkers()) {
            distributed = SparkTraining.train(SparkTraining.config(false), 1, engine);
        }
        double difference = SparkTraining.relativeDifference(single.parameters(), distributed.parameters());
        System.out.printf("no-BN model, %d steps on 2 workers: parameters differ by %.3g of their largest value%n",
                SparkTraining.IMAGES / SparkTraining.BATCH, difference);
        assertTrue(difference <= TOLERANCE, "relative parameter difference " + difference);
        EpochResult a = single.epochs().getFirst();
        EpochResult b = distributed.epochs().getFirst();
        assertEquals(a.train().loss(), b.train().loss(), 1e-5 * Math.abs(a.train().loss()));
        assertEquals(a.train().accuracy(), b.train().accuracy());
        assertEquals(a.validation().loss(), b.validation().loss(), 1e-5 * Math.abs(a.validation().loss()));
    }

    /**
     * A distributed run's checkpoint holds what the slices held (weights, Adam state, step count):
     * resumed on Spark it continues as the one-process run's checkpoint resumed in one process.
     */
    @Test
    void aResumedDistributedRunContinuesAsAResumedLocalRun(@TempDir Path dir) {
        Path local = dir.resolve("local.safetensors");
        Path distributed = dir.resolve("spark.safetensors");
        SparkTraining.train(SparkTraining.config(false), 1, null, null, local);
        SparkTraining.Outcome resumedLocally = SparkTraining.train(SparkTraining.config(false), 2, null, local, null);
        SparkTraining.Outcome resumedOnSpark;
        try (SparkDataParallel engine = twoWorkers()) {
            SparkTraining.train(SparkTraining.config(false), 1, engine, null, distributed);
        }
        try (SparkDataParallel engine = twoWorkers()) {
            resumedOnSpark = SparkTraining.train(SparkTraining.config(false), 2, engine, distributed, null);
        }
        assertEquals(1, resumedOnSpark.epochs().size(), "the resumed run trains epoch 2 only");
        double difference = SparkTraining.relativeDifference(resumedLocally.parameters(), resumedOnSpark.parameters());
        System.out.printf("resumed for epoch 2, local vs Spark: parameters differ by %.3g of their largest value%n", difference);
        assertTrue(difference <= TOLERANCE, "relative parameter difference " + difference);
        EpochResult a = resumedLocally.epochs().getFirst();
        EpochResult b = resumedOnSpark.epochs().getFirst();
        assertEquals(a.epoch(), b.epoch());
        assertEquals(a.train().loss(), b.train().loss(), 1e-5 * Math.abs(a.train().loss()));
        assertEquals(a.validation().loss(), b.validation().loss(), 1e-5 * Math.abs(a.validation().loss()));
    }

    @Test
    void aFailedTaskIsRetriedWithTheSameResult() {
        SparkTraining.Outcome clean;
        try (SparkDataParallel engine = twoWorkers()) {
            clean = SparkTraining.train(SparkTraining.config(true), 1, engine);
        }
        SparkTraining.Outcome retried;
        try (SparkDataParallel engine = twoWorkers()) {
            // worker 1's first attempt of the second step dies in the middle of the job
            engine.injectFault((shard, attempt) -> {
                if (shard.worker() == 1 && shard.batchIndex() == 1 && attempt == 0) {
                    INJECTED.incrementAndGet(); // local mode: the executor is this JVM
                    throw new IllegalStateException("injected failure of worker 1, step 2");
                }
            });
            retried = SparkTraining.train(SparkTraining.config(true), 1, engine);
        }
        assertEquals(1, INJECTED.get(), "the injected failure happened once");
        assertEquals(0.0, SparkTraining.relativeDifference(clean.parameters(), retried.parameters()),
                "a retried task must give the same bits");
        assertEquals(clean.epochs().getFirst().train().loss(), retried.epochs().getFirst().train().loss());
    }

    @Test
    void aBatchNormModelLearnsOnTwoWorkers() {
        List<EpochResult> epochs;
        try (SparkDataParallel engine = twoWorkers()) {
            epochs = SparkTraining.train(SparkTraining.config(true), 2, engine).epochs();
        }
        double first = epochs.getFirst().train().loss();
        double last = epochs.getLast().train().loss();
        assertTrue(last < first, "training loss " + first + " -> " + last);
    }
}
