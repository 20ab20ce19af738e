package dev.vgg4j.spark;

import dev.vgg4j.core.CounterRng;
import dev.vgg4j.data.BatchSource;
import dev.vgg4j.data.DataLoader;
import dev.vgg4j.data.transform.ImagePipeline;
import dev.vgg4j.datasets.Cifar10;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The training set split over the workers instead of shipped whole ({@code --spark-data
 * partitioned}), for data that does not fit one executor: CIFAR-10 batch files
 * ({@code data_batch_*.bin} and {@code batches.meta.txt}) in a folder that the driver and every
 * executor see (a shared or distributed file system). Batch file k, in name order, is worker
 * {@code k mod P}'s: worker w's task reads only those files, on whichever executor runs it, and
 * that executor keeps them for the run's later steps.
 *
 * <p>Worker w serves its part as a shuffling {@link DataLoader} with seed {@code hash(seed, w)}
 * would: its own shuffle each epoch, an augmentation seed per position. Its rows of global batch
 * b are positions {@code [b*n, (b+1)*n)} of that order, n its share of the batch's B rows; an
 * epoch is as many global batches as the smallest part fills. This is NOT the one-process run:
 * a global batch takes n images of each part rather than B of the whole set, and an epoch leaves
 * out what a larger part holds beyond the smallest one's share.
 */
final class PartitionedData implements Serializable {
    /** This executor's parts, by run and worker. */
    private static final Map<String, BatchSource> PARTS = new ConcurrentHashMap<>();

    private final String run;
    private final String folder;
    private final List<List<String>> files;
    private final ImagePipeline pipeline;
    private final int batchSize;
    private final long seed;
    /** Images in each worker's part, as the workers read them ({@link #open}); null before. */
    private int[] sizes;

    private PartitionedData(String folder, List<List<String>> files, ImagePipeline pipeline, int batchSize, long seed) {
        this.run = UUID.randomUUID().toString();
        this.folder = folder;
        this.files = files;
        this.pipeline = pipeline;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    /**
     * The CIFAR-10 batch files in {@code folder}, dealt to {@code workers} workers; each image goes
     * through {@code pipeline}, global batches have {@code batchSize} rows, the shuffles and
     * augmentations follow {@code seed}.
     */
    static PartitionedData cifar(Path folder, int workers, ImagePipeline pipeline, int batchSize, long seed) {
        if (batchSize < workers) {
            throw new IllegalArgumentException("--batch-size " + batchSize + ": a batch cannot be split over " + workers
                    + " workers; use a batch size of at least --workers");
        }
        List<String> batches;
        try (Stream<Path> entries = Files.list(folder)) {
            batches = entries.map(p -> p.getFileName().toString())
                    .filter(name -> name.startsWith("data_batch_") && name.endsWith(".bin")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("--data-dir " + folder + ": the driver cannot list it (" + e + ")", e);
        }
        if (batches.size() < workers) {
            throw new IllegalArgumentException("--data-dir " + folder + ": " + batches.size() + " CIFAR-10 batch files"
                    + " (data_batch_*.bin) for " + workers + " workers; partitioned data needs at least one file per worker");
        }
        List<List<String>> parts = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            parts.add(new ArrayList<>());
        }
        for (int k = 0; k < batches.size(); k++) {
            parts.get(k % workers).add(batches.get(k));
        }
        return new PartitionedData(folder.toAbsolutePath().toString(), parts, pipeline, batchSize, seed);
    }

    int workers() {
        return files.size();
    }

    /**
     * Driver: has each worker read its part where its task runs, and learns the parts' sizes. A
     * part an executor cannot read fails the job with a line naming the files and the executor.
     */
    void open(JavaSparkContext spark) {
        PartitionedData self = this;
        List<Integer> workers = IntStream.range(0, workers()).boxed().toList();
        try {
            sizes = spark.parallelize(workers, workers.size()).map(w -> self.part(w).dataset().size()).collect()
                    .stream().mapToInt(Integer::intValue).toArray();
        } catch (Exception e) { // the line names the executor and carries read()'s line
            throw new IllegalArgumentException("--data-dir " + folder + ": the workers could not read their parts: "
                    + JobFailure.reason(e), e);
        }
        if (batchesPerEpoch() == 0) {
            throw new IllegalArgumentException("--batch-size " + batchSize + ": the smallest part of " + folder + " has "
                    + Arrays.stream(sizes).min().orElse(0) + " images, too few for one worker's rows of a batch");
        }
    }

    long seed() {
        return seed;
    }

    /** The folder the parts are read from, as the executors see it. */
    String folder() {
        return folder;
    }

    /** Global batches in an epoch: as many as the smallest part fills. */
    int batchesPerEpoch() {
        int batches = Integer.MAX_VALUE;
        for (int w = 0; w < workers(); w++) {
            batches = Math.min(batches, sizes[w] / rows(w));
        }
        return batches;
    }

    /** Driver: each worker's rows of global batch {@code batchIndex} of epoch {@code epoch}, as positions in its part. */
    List<ShardInput> shards(int epoch, int batchIndex) {
        if (sizes == null) {
            throw new IllegalStateException("the parts are not open: call open before the first step");
        }
        List<ShardInput> shards = new ArrayList<>(workers());
        for (int w = 0; w < workers(); w++) {
            int n = rows(w);
            long partSeed = CounterRng.hash(seed, w);
            int first = batchIndex * n;
            int[] samples = Arrays.copyOfRange(DataLoader.shuffledOrder(sizes[w], partSeed, epoch), first, first + n);
            long[] seeds = new long[n];
            for (int i = 0; i < n; i++) {
                seeds[i] = DataLoader.augmentationSeed(partSeed, epoch, first + i);
            }
            shards.add(new ShardInput(w, batchIndex, SliceExchange.sliceStart(batchSize, workers(), w), batchSize,
                    samples, seeds));
        }
        return shards;
    }

    private int rows(int worker) {
        return SliceExchange.sliceStart(batchSize, workers(), worker + 1) - SliceExchange.sliceStart(batchSize, workers(), worker);
    }

    /** Executor: worker {@code worker}'s part, read on first use. */
    BatchSource part(int worker) {
        return PARTS.computeIfAbsent(run + "/" + worker, key -> read(worker));
    }

    private BatchSource read(int worker) {
        try {
            return new BatchSource(Cifar10.loadBatches(Path.of(folder), files.get(worker)), pipeline);
        } catch (RuntimeException e) {
            SparkEnv env = SparkEnv.get();
            throw new IllegalStateException("worker " + worker + " cannot read its part " + files.get(worker) + " of "
                    + folder + " on executor " + env.executorId() + " (host " + env.blockManager().blockManagerId().host()
                    + "): " + e.getMessage(), e);
        }
    }

    /** Frees the parts this JVM holds (local mode: the driver's); executors free theirs when the application ends. */
    void release() {
        PARTS.keySet().removeIf(key -> key.startsWith(run + "/"));
    }
}
