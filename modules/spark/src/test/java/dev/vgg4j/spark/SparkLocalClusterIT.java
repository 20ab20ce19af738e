package dev.vgg4j.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * Two executor JVMs started by Spark (local-cluster, from the SPARK_HOME folder the build fills),
 * talking to the driver only through Spark, on loopback: the run equals the one-process run.
 */
class SparkLocalClusterIT {

    @Test
    void twoExecutorJvmsFollowTheSingleProcessRun() {
        SparkTraining.Outcome single = SparkTraining.train(SparkTraining.config(false), 1, null);
        SparkTraining.Outcome distributed;
        try (JavaSparkContext spark = new JavaSparkContext(
                SparkSetup.conf("local-cluster[2,1,1024]", "SparkLocalClusterIT"));
                SparkDataParallel engine = new SparkDataParallel(spark, 2, "cpu", 1, FloatBytes.FLOAT32)) {
            distributed = SparkTraining.train(SparkTraining.config(false), 1, engine);
        }
        double difference = SparkTraining.relativeDifference(single.parameters(), distributed.parameters());
        System.out.printf("local-cluster, 2 executor JVMs: parameters differ by %.3g of their largest value%n", difference);
        assertTrue(difference <= SparkDataParallelTest.TOLERANCE, "relative parameter difference " + difference);
    }
}
