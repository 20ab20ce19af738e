package dev.vgg4j.cli;

import dev.vgg4j.train.DataParallelEngines;
import dev.vgg4j.train.DataParallelStep;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * {@code --spark MASTER [--workers P] [--spark-data broadcast|partitioned]}: the training gradients
 * from replicas on a Spark cluster.
 */
final class DataParallelFlags {
    @Option(names = "--spark", paramLabel = "MASTER",
            description = "Train data-parallel on Spark: local[2], local-cluster[2,1,2048], spark://HOST:7077, k8s://...;"
                    + " same results as one process (batch norm statistics per worker).")
    String master;

    @Option(names = "--workers", defaultValue = "0", paramLabel = "P",
            description = "Replicas with --spark, each taking 1/P of every batch (default: Spark's default parallelism).")
    int workers;

    @Option(names = "--spark-data", defaultValue = "broadcast", paramLabel = "MODE",
            description = "With --spark: broadcast (this process reads the dataset and ships it to each executor once;"
                    + " the one-process run) or partitioned (each worker reads its own CIFAR-10 batch files from"
                    + " --data-dir, a folder every executor sees, and shuffles them itself; validation on"
                    + " test_batch.bin; not the one-process run) (default: ${DEFAULT-VALUE}).")
    String data = "broadcast";

    /** Whether the workers read their own parts of the training set ({@code --spark-data partitioned}). */
    boolean partitioned() {
        return switch (data) {
            case "broadcast" -> false;
            case "partitioned" -> {
                if (master == null) {
                    throw new BadInputException("--spark-data partitioned: only with --spark MASTER");
                }
                yield true;
            }
            default -> throw new BadInputException("--spark-data: expected broadcast or partitioned, got '" + data + "'");
        };
    }

    /** The engine, started; null without {@code --spark}. A master it cannot use is bad input. */
    DataParallelStep start(String backend, int threadsPerWorker) {
        if (master == null) {
            if (workers != 0) {
                throw new BadInputException("--workers: only with --spark MASTER");
            }
            return null;
        }
        return started(() -> DataParallelEngines.named("spark").start(master, workers, backend, threadsPerWorker));
    }

    /** The engine, started on {@code parts}, which its workers read themselves ({@link #partitioned()}). */
    DataParallelStep start(String backend, int threadsPerWorker, DataParallelEngines.PartitionedFiles parts) {
        return started(() -> DataParallelEngines.named("spark").start(master, workers, backend, threadsPerWorker, parts));
    }

    /** A master or data folder the engine cannot use is bad input, named by its flag. */
    private static DataParallelStep started(Supplier<DataParallelStep> engine) {
        try {
            return engine.get();
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage().startsWith("--") ? e.getMessage() : "--spark: " + e.getMessage());
        }
    }
}
