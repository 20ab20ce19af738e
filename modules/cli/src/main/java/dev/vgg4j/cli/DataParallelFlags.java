package dev.vgg4j.cli;

import dev.vgg4j.train.DataParallelEngines;
import dev.vgg4j.train.DataParallelStep;
import picocli.CommandLine.Option;

/** {@code --spark MASTER [--workers P]}: the training gradients from replicas on a Spark cluster. */
final class DataParallelFlags {
    @Option(names = "--spark", paramLabel = "MASTER",
            description = "Train data-parallel on Spark: local[2], local-cluster[2,1,2048], spark://HOST:7077, k8s://...;"
                    + " same results as one process (batch norm statistics per worker).")
    String master;

    @Option(names = "--workers", defaultValue = "0", paramLabel = "P",
            description = "Replicas with --spark, each taking 1/P of every batch (default: Spark's default parallelism).")
    int workers;

    /** The engine, started; null without {@code --spark}. A master it cannot use is bad input. */
    DataParallelStep start(String backend, int threadsPerWorker) {
        if (master == null) {
            if (workers != 0) {
                throw new BadInputException("--workers: only with --spark MASTER");
            }
            return null;
        }
        try {
            return DataParallelEngines.named("spark").start(master, workers, backend, threadsPerWorker);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage().startsWith("--") ? e.getMessage() : "--spark: " + e.getMessage());
        }
    }
}
