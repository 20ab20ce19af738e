package dev.vgg4j.spark;

import dev.vgg4j.train.DataParallelEngines;
import dev.vgg4j.train.DataParallelStep;
import org.apache.spark.api.java.JavaSparkContext;

/** {@code --spark MASTER}: a Spark application of its own for one training run, stopped when the run ends. */
public final class SparkEngine implements DataParallelEngines.Provider {

    @Override
    public String name() {
        return "spark";
    }

    /** Workers default to Spark's default parallelism (local[N]: N; a cluster: its cores). */
    @Override
    public DataParallelStep start(String master, int workers, String backend, int threadsPerWorker) {
        JavaSparkContext spark = application(master, workers);
        return new SparkDataParallel(spark, workers(spark, workers), backend, threadsPerWorker, FloatBytes.FLOAT32, true,
                null);
    }

    @Override
    public DataParallelStep start(String master, int workers, String backend, int threadsPerWorker,
                                  DataParallelEngines.PartitionedFiles data) {
        JavaSparkContext spark = application(master, workers);
        try {
            return SparkDataParallel.partitioned(spark, workers(spark, workers), backend, threadsPerWorker, data.folder(),
                    data.pipeline(), data.batchSize(), data.seed(), true);
        } catch (RuntimeException e) { // the parts could not be read: the application ends with the run
            spark.stop();
            throw e;
        }
    }

    private static JavaSparkContext application(String master, int workers) {
        if (workers < 0) {
            throw new IllegalArgumentException("--workers: expected 0 (Spark's default parallelism) or more, got " + workers);
        }
        // the console carries the run's lines; Spark's own INFO lines stay out of it
        return new JavaSparkContext(SparkSetup.conf(master, "vgg4j-train").set("spark.log.level", "WARN"));
    }

    private static int workers(JavaSparkContext spark, int workers) {
        return workers > 0 ? workers : spark.defaultParallelism();
    }
}
