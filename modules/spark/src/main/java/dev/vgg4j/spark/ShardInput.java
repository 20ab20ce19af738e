package dev.vgg4j.spark;

import dev.vgg4j.data.Batch;
import dev.vgg4j.data.transform.ImageSize;
import dev.vgg4j.train.Shard;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One worker's rows of a global batch, shipped in its task: rows {@code firstRow ..} of a batch of
 * {@code globalRows}, images {@code [n, C, H, W]} and labels {@code [n]}. The driver sends one
 * batch of images per step in all, whatever the worker count.
 */
record ShardInput(int worker, int batchIndex, int firstRow, int globalRows, float[] images, int[] labels,
                  int channels, int height, int width) implements Serializable {

    /** Splits {@code batch} into {@code workers} consecutive row ranges, as even as the row count allows. */
    static List<ShardInput> split(Batch batch, int workers) {
        int rows = batch.size();
        if (rows < workers) {
            throw new IllegalArgumentException("a batch of " + rows + " images cannot be split over " + workers
                    + " workers; use a batch size of at least --workers");
        }
        ImageSize size = batch.imageSize();
        int elements = size.elements();
        List<ShardInput> shards = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) {
            int from = SliceExchange.sliceStart(rows, workers, w);
            int to = SliceExchange.sliceStart(rows, workers, w + 1);
            shards.add(new ShardInput(w, batch.index(), from, rows,
                    Arrays.copyOfRange(batch.images(), from * elements, to * elements),
                    Arrays.copyOfRange(batch.labels(), from, to), size.channels(), size.height(), size.width()));
        }
        return shards;
    }

    Batch batch() {
        return new Batch(batchIndex, images, labels, new ImageSize(channels, height, width));
    }

    Shard shard() {
        return new Shard(firstRow, globalRows);
    }
}
