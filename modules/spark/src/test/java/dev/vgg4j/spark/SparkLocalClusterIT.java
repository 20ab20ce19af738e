package dev.vgg4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two executor JVMs started by Spark (local-cluster, from the SPARK_HOME folder the build fills),
 * talking to the driver only through Spark, on loopback: the run equals the one-process run, and
 * an executor that dies takes its parameter slices with it, which stops the run with one line and
 * leaves the last checkpoint as it was; partitioned data is read where the tasks run. One cluster
 * for all (the last test kills an executor).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkLocalClusterIT {
    private static JavaSparkContext spark;

    @BeforeAll
    static void start() {
        spark = new JavaSparkContext(SparkSetup.conf("local-cluster[2,1,1024]", "SparkLocalClusterIT"));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    @Order(1)
    void twoExecutorJvmsFollowTheSingleProcessRun() {
        SparkTraining.Outcome single = SparkTraining.train(SparkTraining.config(false), 1, null);
        SparkTraining.Outcome distributed;
        try (SparkDataParallel engine = new SparkDataParallel(spark, 2, "cpu", 1, FloatBytes.FLOAT32)) {
            distributed = SparkTraining.train(SparkTraining.config(false), 1, engine);
        }
        double difference = SparkTraining.relativeDifference(single.parameters(), distributed.parameters());
        System.out.printf("local-cluster, 2 executor JVMs: parameters differ by %.3g of their largest value%n", difference);
        assertTrue(difference <= SparkDataParallelTest.TOLERANCE, "relative parameter difference " + difference);
    }

    /** Partitioned data: each executor JVM reads its worker's part, and the run is the documented schedule. */
    @Test
    @Order(2)
    void twoExecutorJvmsReadTheirOwnParts(@TempDir Path dir) throws IOException {
        PartitionedDataTest.writeParts(dir);
        double difference = SparkTraining.relativeDifference(PartitionedDataTest.documentedSchedule(dir),
                PartitionedDataTest.partitionedRun(spark, dir));
        System.out.printf("local-cluster, partitioned: parameters differ from the documented schedule by %.3g%n",
                difference);
        assertTrue(difference <= SparkDataParallelTest.TOLERANCE, "relative parameter difference " + difference);
    }

    @Test
    @Order(3)
    void anExecutorLostMidEpochStopsTheRunWithOneLineAndKeepsTheCheckpoint(@TempDir Path dir) throws IOException {
        Path checkpoint = dir.resolve("last.safetensors");
        String checkpointPath = checkpoint.toString();
        String killedMarker = dir.resolve("killed").toString();
        IllegalStateException stopped;
        byte[] written;
        try (SparkDataParallel engine = new SparkDataParallel(spark, 2, "cpu", 1, FloatBytes.FLOAT32)) {
            // worker 1's executor exits in the second step of epoch 2 (after the epoch-1 checkpoint), once
            engine.injectFault((shard, attempt) -> {
                if (shard.worker() == 1 && shard.batchIndex() == 1 && Files.exists(Path.of(checkpointPath))) {
                    try {
                        Files.createFile(Path.of(killedMarker));
                    } catch (FileAlreadyExistsException e) {
                        return;
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                    Runtime.getRuntime().halt(1);
                }
            });
            stopped = assertThrows(IllegalStateException.class,
                    () -> SparkTraining.train(SparkTraining.config(false), 2, engine, null, checkpoint));
            written = Files.readAllBytes(checkpoint);
        }
        assertTrue(Files.exists(Path.of(killedMarker)), "the executor was killed");
        String line = stopped.getMessage();
        System.out.println("the run stopped with: " + line);
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.startsWith("the Spark job of batch 2 failed on local-cluster[2,1,1024] after Spark's retries"), line);
        assertTrue(line.contains("is lost: the Spark executor that held it is gone"), line);
        assertArrayEquals(written, Files.readAllBytes(checkpoint), "the checkpoint of epoch 1 stays as written");
        // and it resumes: epoch 2 again, in one process
        SparkTraining.Outcome resumed = SparkTraining.train(SparkTraining.config(false), 2, null, checkpoint, null);
        assertEquals(2, resumed.epochs().getFirst().epoch());
    }
}
