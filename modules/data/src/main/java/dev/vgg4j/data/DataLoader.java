package dev.vgg4j.data;

import dev.vgg4j.core.CounterRng;
import dev.vgg4j.core.Sizes;
import dev.vgg4j.data.transform.ImagePipeline;
import dev.vgg4j.data.transform.ImageSize;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Batches of a {@link Dataset} through an {@link ImagePipeline}, as PyTorch's {@code DataLoader}:
 * per-epoch shuffle, batch size, {@code drop_last}. Batches are prepared by {@code workers}
 * background threads, at most {@code prefetch} ahead of the consumer, so that the compute does not
 * wait for data; the time it still waits is measured ({@link Epoch#waitNanos()}).
 *
 * <p>Everything random is a function of {@code (seed, epoch, position)}: epoch {@code e}'s order
 * is a shuffle seeded by {@code hash(seed, e)} and each sample's augmentation by its position, so
 * the batches do not depend on the thread count, and a run resumed at any epoch and batch
 * ({@link #epoch(int, int)}) sees exactly the batches of the uninterrupted run.
 */
public final class DataLoader implements AutoCloseable {
    private static final long AUGMENT_SALT = 0x5DEECE66DL;

    /**
     * @param batchSize images per batch
     * @param shuffle   a new order each epoch (training) or dataset order (evaluation)
     * @param dropLast  drop the last, smaller batch (the recipe: yes for training, no for validation)
     * @param seed      seed of the shuffle and of random transforms
     * @param workers   background threads preparing batches
     * @param prefetch  batches prepared ahead of the consumer, at most
     */
    public record Options(int batchSize, boolean shuffle, boolean dropLast, long seed, int workers, int prefetch) {
        public Options {
            if (batchSize < 1 || workers < 1 || prefetch < 1) {
                throw new IllegalArgumentException("loader batchSize, workers and prefetch must be >= 1, got "
                        + batchSize + ", " + workers + ", " + prefetch);
            }
        }

        /** The recipe's training loader: shuffled, drop_last, one worker two batches ahead. */
        public static Options training(int batchSize, long seed) {
            return new Options(batchSize, true, true, seed, 1, 2);
        }

        /** The recipe's validation/test loader: dataset order, keeps the last partial batch. */
        public static Options evaluation(int batchSize) {
            return new Options(batchSize, false, false, 0L, 1, 2);
        }

        public Options withWorkers(int n) {
            return new Options(batchSize, shuffle, dropLast, seed, n, Math.max(prefetch, n));
        }
    }

    private final Dataset dataset;
    private final BatchSource source;
    private final Options options;
    private final ImageSize outputSize;
    private final ExecutorService workers;
    private final ThreadLocal<Worker> workerState;
    private final ConcurrentLinkedQueue<Batch> freeBatches = new ConcurrentLinkedQueue<>();
    private final AtomicLong totalWaitNanos = new AtomicLong();

    public DataLoader(Dataset dataset, ImagePipeline pipeline, Options options) {
        if (dataset.size() == 0) {
            throw new IllegalArgumentException("data loader over " + dataset.name() + ": the dataset is empty");
        }
        this.dataset = dataset;
        this.source = new BatchSource(dataset, pipeline);
        this.options = options;
        ImageSize inputSize = dataset.imageSize();
        this.outputSize = pipeline.outputSize(inputSize);
        int largestBatch = Math.min(options.batchSize(), dataset.size());
        long batchFloats = Sizes.saturatedProduct(largestBatch, outputSize.elements());
        if (batchFloats > Sizes.MAX_ARRAY_LENGTH) {
            throw new IllegalArgumentException("data loader over " + dataset.name() + ": a batch of " + largestBatch
                    + " images of " + outputSize + " is " + batchFloats + " floats, more than one array holds ("
                    + Sizes.MAX_ARRAY_LENGTH + "); use a smaller batch or image size");
        }
        AtomicInteger threadNumber = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(options.workers(), r -> {
            Thread t = new Thread(r, "vgg4j-loader-" + dataset.name() + "-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.workerState = ThreadLocal.withInitial(
                () -> new Worker(pipeline.newScratch(inputSize), new byte[inputSize.elements()]));
        if (batchesPerEpoch() == 0) {
            throw new IllegalArgumentException("data loader over " + dataset + ": batch size " + options.batchSize()
                    + " with drop_last leaves no batch");
        }
    }

    public Dataset dataset() {
        return dataset;
    }

    public Options options() {
        return options;
    }

    /** Size of each image in a batch, after the pipeline. */
    public ImageSize imageSize() {
        return outputSize;
    }

    public int batchesPerEpoch() {
        int n = dataset.size();
        int b = options.batchSize();
        return options.dropLast() ? n / b : (n + b - 1) / b;
    }

    /** Images delivered per epoch (fewer than the dataset with {@code drop_last}). */
    public int samplesPerEpoch() {
        return options.dropLast() ? batchesPerEpoch() * options.batchSize() : dataset.size();
    }

    /** Nanoseconds consumers of all epochs so far waited for a batch. */
    public long totalWaitNanos() {
        return totalWaitNanos.get();
    }

    /** The batches of epoch {@code epoch} (from 0). */
    public Epoch epoch(int epoch) {
        return epoch(epoch, 0);
    }

    /** The batches of epoch {@code epoch} from batch {@code firstBatch} on: resuming inside an epoch. */
    public Epoch epoch(int epoch, int firstBatch) {
        if (epoch < 0 || firstBatch < 0 || firstBatch > batchesPerEpoch()) {
            throw new IllegalArgumentException("epoch " + epoch + " batch " + firstBatch + " is outside 0.."
                    + batchesPerEpoch() + " batches");
        }
        return new Epoch(epoch, firstBatch);
    }

    /** The dataset indices of epoch {@code epoch}, in the order they are served. */
    int[] order(int epoch) {
        if (options.shuffle()) {
            return shuffledOrder(dataset.size(), options.seed(), epoch);
        }
        int[] order = new int[dataset.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        return order;
    }

    /**
     * The order in which a shuffling loader with {@code seed} serves the {@code size} images of its
     * dataset in epoch {@code epoch}: for an engine that plans a loader's batches without the loader.
     */
    public static int[] shuffledOrder(int size, long seed, int epoch) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        StratifiedSplit.shuffle(order, new SplittableRandom(CounterRng.hash(seed, epoch)));
        return order;
    }

    /** The augmentation seed a loader with {@code seed} gives the image at {@code position} of epoch {@code epoch}'s order. */
    public static long augmentationSeed(long seed, int epoch, int position) {
        return CounterRng.hash(CounterRng.hash(seed ^ AUGMENT_SALT, epoch), position);
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }

    /** One pass over the data; iterate it once, and close it if it is abandoned early. */
    public final class Epoch implements Iterator<Batch>, AutoCloseable {
        private final int epoch;
        private final int[] order;
        private final ArrayDeque<Future<Batch>> ahead = new ArrayDeque<>();
        private int nextToSubmit;
        private int nextToDeliver;
        private Batch current;
        private long waitNanos;

        private Epoch(int epoch, int firstBatch) {
            this.epoch = epoch;
            this.order = order(epoch);
            this.nextToSubmit = firstBatch;
            this.nextToDeliver = firstBatch;
            while (ahead.size() < options.prefetch() && nextToSubmit < batchesPerEpoch()) {
                submitNext();
            }
        }

        @Override
        public boolean hasNext() {
            return nextToDeliver < batchesPerEpoch();
        }

        /** The next batch; the previous one's arrays are recycled and must no longer be used. */
        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("epoch has " + batchesPerEpoch() + " batches");
            }
            recycleCurrent();
            long start = System.nanoTime();
            try {
                current = ahead.removeFirst().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a batch", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("preparing batch " + nextToDeliver + " of " + dataset.name()
                        + " failed: " + e.getCause(), e.getCause());
            }
            long waited = System.nanoTime() - start;
            waitNanos += waited;
            totalWaitNanos.addAndGet(waited);
            nextToDeliver++;
            if (nextToSubmit < batchesPerEpoch()) {
                submitNext();
            }
            return current;
        }

        /** Nanoseconds the consumer of this epoch waited in {@link #next()}. */
        public long waitNanos() {
            return waitNanos;
        }

        @Override
        public void close() {
            ahead.forEach(f -> f.cancel(false));
            ahead.clear();
            recycleCurrent();
        }

        private void recycleCurrent() {
            if (current != null && current.size() == options.batchSize()) {
                freeBatches.add(current);
            }
            current = null;
        }

        private void submitNext() {
            int index = nextToSubmit++;
            int start = index * options.batchSize();
            int count = Math.min(options.batchSize(), dataset.size() - start);
            ahead.addLast(workers.submit(() -> fill(index, start, count)));
        }

        private Batch fill(int index, int start, int count) {
            int[] samples = new int[count];
            long[] seeds = new long[count];
            for (int i = 0; i < count; i++) {
                samples[i] = order[start + i];
                seeds[i] = augmentationSeed(options.seed(), epoch, start + i);
            }
            Batch batch = take(index, count, new Batch.Origin(source, epoch, samples, seeds));
            Worker worker = workerState.get();
            source.fill(samples, seeds, worker.scratch, worker.pixels, batch);
            return batch;
        }

        private Batch take(int index, int count, Batch.Origin origin) {
            Batch recycled = count == options.batchSize() ? freeBatches.poll() : null;
            if (recycled == null) {
                return new Batch(index, new float[count * outputSize.elements()], new int[count], outputSize, origin);
            }
            return new Batch(index, recycled.images(), recycled.labels(), outputSize, origin);
        }
    }

    /** Per-thread working memory of a loader thread. */
    private record Worker(ImagePipeline.Scratch scratch, byte[] pixels) {}
}
