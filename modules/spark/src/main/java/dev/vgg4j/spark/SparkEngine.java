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
        if (workers < 0) {
            throw new IllegalArgumentException("--workers: expected 0 (Spark's default parallelism) or more, got " + workers);
        }
        // the console carries the run's lines; Spark's own INFO lines stay out of it
        JavaSparkContext spark = new JavaSparkContext(SparkSetup.conf(master, "vgg4j-train").set("spark.log.level", "WARN"));
        int p = workers > 0 ? workers : spark.defaultParallelism();
        return new SparkDataParallel(spark, p, backend, threadsPerWorker, FloatBytes.FLOAT32, true, null);
    }
}
