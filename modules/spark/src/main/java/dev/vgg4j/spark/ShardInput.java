package dev.vgg4j.spark;

import dev.vgg4j.data.Batch;
import dev.vgg4j.data.BatchSource;
import dev.vgg4j.train.Shard;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One worker's rows of a global batch, as its task carries them: rows {@code firstRow ..} of a
 * batch of {@code globalRows}, named by their dataset images {@code samples} [n] and augmentation
 * seeds {@code seeds} [n]. The worker makes the images {@code [n, C, H, W]} itself from the
 * run's broadcast {@link BatchSource} (or, partitioned, its own part: {@link PartitionedData}),
 * so a step's tasks carry 12 bytes a row, not the image (30 KB at 3x50x50), and a retried task
 * makes the same rows.
 */
record ShardInput(int worker, int batchIndex, int firstRow, int globalRows, int[] samples, long[] seeds)
        implements Serializable {

    /** Splits {@code batch} into {@code workers} consecutive row ranges, as even as the row count allows. */
    static List<ShardInput> split(Batch batch, int workers) {
        int rows = batch.size();
        if (rows < workers) {
            throw new IllegalArgumentException("a batch of " + rows + " images cannot be split over " + workers
                    + " workers; use a batch size of at least --workers");
        }
        Batch.Origin origin = batch.origin();
        List<ShardInput> shards = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) {
            int from = SliceExchange.sliceStart(rows, workers, w);
            int to = SliceExchange.sliceStart(rows, workers, w + 1);
            shards.add(new ShardInput(w, batch.index(), from, rows, Arrays.copyOfRange(origin.samples(), from, to),
                    Arrays.copyOfRange(origin.seeds(), from, to)));
        }
        return shards;
    }

    /** Executor side: where worker w's {@code samples} are (the broadcast dataset, or w's own part). */
    @FunctionalInterface
    interface Source extends Serializable {
        BatchSource of(int worker);
    }

    /** Executor side: this shard's images [n, C, H, W] and labels [n], made from its source's images. */
    Batch batch(Source source) {
        return source.of(worker).batch(batchIndex, samples, seeds);
    }

    Shard shard() {
        return new Shard(firstRow, globalRows);
    }
}
