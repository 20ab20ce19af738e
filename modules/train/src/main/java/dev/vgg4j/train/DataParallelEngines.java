package dev.vgg4j.train;

import dev.vgg4j.data.transform.ImagePipeline;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The data-parallel engines on the class path, found with {@link ServiceLoader} as backends are:
 * an engine module (e.g. {@code vgg4j-spark}) lists its {@link Provider} in
 * {@code META-INF/services/dev.vgg4j.train.DataParallelEngines$Provider}.
 */
public final class DataParallelEngines {

    /** Entry point of an engine module. */
    public interface Provider {
        /** What the user names it by, e.g. {@code spark}. */
        String name();

        /**
         * Connects to {@code master} and prepares {@code workers} replicas (0: the engine's default),
         * each on {@code backend} with {@code threadsPerWorker} host threads (0: the engine's default).
         * A master the engine cannot use throws {@link IllegalArgumentException} with one line.
         */
        DataParallelStep start(String master, int workers, String backend, int threadsPerWorker);

        /**
         * As {@link #start}, for workers that read their own parts of {@code data} ({@link
         * DataParallelStep#ownData()}) instead of taking the trainer's loader's batches.
         */
        DataParallelStep start(String master, int workers, String backend, int threadsPerWorker, PartitionedFiles data);
    }

    /**
     * A training set that the workers read in parts, for data that does not fit one worker: the
     * CIFAR-10 batch files ({@code data_batch_*.bin}) in {@code folder}, a folder every worker
     * sees; each image through {@code pipeline}; global batches of {@code batchSize} rows; shuffles
     * and augmentation from {@code seed}.
     */
    public record PartitionedFiles(Path folder, ImagePipeline pipeline, int batchSize, long seed) {}

    private DataParallelEngines() {}

    /** The engine called {@code name}; an {@link IllegalArgumentException} says which are on the class path. */
    public static Provider named(String name) {
        List<String> found = new ArrayList<>();
        for (Provider p : ServiceLoader.load(Provider.class, DataParallelEngines.class.getClassLoader())) {
            if (p.name().equals(name)) {
                return p;
            }
            found.add(p.name());
        }
        throw new IllegalArgumentException("the " + name + " engine is not on the class path (found: "
                + (found.isEmpty() ? "none" : String.join(", ", found)) + "); ./vgg4j adds vgg4j-spark when --spark is given");
    }
}
