package dev.vgg4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.data.transform.ImagePipeline;
import dev.vgg4j.data.transform.ImageSize;
import dev.vgg4j.data.transform.Normalize;
import dev.vgg4j.data.transform.RandomCrop;
import dev.vgg4j.data.transform.RandomHorizontalFlip;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DataLoaderTest {
    private static final int IMAGES = 23;

    /** Image i is 1x2x2 with every pixel = i, label = i % 3: the label is readable from the pixels. */
    private static Dataset numbered() {
        byte[] pixels = new byte[IMAGES * 4];
        int[] labels = new int[IMAGES];
        for (int i = 0; i < IMAGES; i++) {
            Arrays.fill(pixels, i * 4, i * 4 + 4, (byte) i);
            labels[i] = i % 3;
        }
        return new Dataset("numbered", pixels, labels, 1, 2, 2, List.of("a", "b", "c"));
    }

    private static final ImagePipeline IDENTITY = ImagePipeline.of();

    /** The dataset index of each image of a batch, read back from its pixels. */
    private static int[] indices(Batch batch) {
        return IntStream.range(0, batch.size()).map(i -> Math.round(batch.images()[i * 4] * 255)).toArray();
    }

    private static List<float[]> drain(DataLoader.Epoch epoch) {
        List<float[]> images = new ArrayList<>();
        epoch.forEachRemaining(b -> images.add(b.images().clone()));
        return images;
    }

    @Test
    void aBatchTooLargeForOneArrayIsRefusedWhenTheLoaderIsMadeNotWhenItAllocates() {
        // 600 tiny images resized to 2048x2048: a batch of 600 * 4194304 floats overflows an int.
        byte[] pixels = new byte[600 * 4];
        Dataset tiny = new Dataset("tiny", pixels, new int[600], 1, 2, 2, List.of("a"));
        ImagePipeline upscale = ImagePipeline.recipe(tiny.imageSize(), 2048);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DataLoader(tiny, upscale, DataLoader.Options.evaluation(1000)));

        assertEquals("data loader over tiny: a batch of 600 images of 1x2048x2048 is 2516582400 floats, more than one"
                + " array holds (2147483639); use a smaller batch or image size", e.getMessage());
    }

    @Test
    void anImageSizeWhoseElementCountOverflowsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ImageSize(3, 65536, 65536));

        assertEquals("image size 3x65536x65536 has 12884901888 elements, more than one array holds (2147483639)",
                e.getMessage());
    }

    @Test
    void dropLastServesFullBatchesOfDistinctImagesWithMatchingLabels() {
        try (DataLoader loader = new DataLoader(numbered(), IDENTITY, DataLoader.Options.training(5, 1))) {
            assertEquals(4, loader.batchesPerEpoch());
            assertEquals(20, loader.samplesPerEpoch());
            List<Integer> seen = new ArrayList<>();
            try (DataLoader.Epoch epoch = loader.epoch(0)) {
                while (epoch.hasNext()) {
                    Batch batch = epoch.next();
                    assertEquals(5, batch.size());
                    int[] idx = indices(batch);
                    for (int i = 0; i < idx.length; i++) {
                        assertEquals(idx[i] % 3, batch.labels()[i]);
                        seen.add(idx[i]);
                    }
                }
                assertTrue(epoch.waitNanos() >= 0);
            }
            assertEquals(20, seen.stream().distinct().count());
            assertFalse(seen.equals(seen.stream().sorted().toList()), "training order is shuffled");
        }
    }

    @Test
    void evaluationKeepsDatasetOrderAndTheLastPartialBatch() {
        try (DataLoader loader = new DataLoader(numbered(), IDENTITY, DataLoader.Options.evaluation(10))) {
            List<int[]> batches = new ArrayList<>();
            loader.epoch(0).forEachRemaining(b -> batches.add(indices(b)));
            assertEquals(3, batches.size());
            assertArrayEquals(IntStream.range(20, 23).toArray(), batches.get(2));
            assertArrayEquals(IntStream.range(0, 10).toArray(), batches.get(0));
        }
    }

    @Test
    void eachEpochHasItsOwnOrderAndTheSameSeedRepeatsIt() {
        try (DataLoader a = new DataLoader(numbered(), IDENTITY, DataLoader.Options.training(23, 9));
             DataLoader b = new DataLoader(numbered(), IDENTITY, DataLoader.Options.training(23, 9))) {
            int[] epoch0 = indices(a.epoch(0).next());
            int[] epoch1 = indices(a.epoch(1).next());
            assertFalse(Arrays.equals(epoch0, epoch1));
            assertArrayEquals(epoch1, indices(b.epoch(1).next()));
        }
    }

    /**
     * A data-parallel replica holds a serialized copy of the loader's source and makes its rows of
     * a batch from the batch's origin: they must be the loader's rows, augmentation included.
     */
    @Test
    void aBatchsOriginRemakesItsRowsFromASerializedSource() throws Exception {
        ImagePipeline augmenting = ImagePipeline.of(new RandomCrop(2, 2, 1), new RandomHorizontalFlip(0.5f),
                Normalize.uniform(1, 0.5f, 0.5f));
        try (DataLoader loader = new DataLoader(numbered(), augmenting, DataLoader.Options.training(6, 5))) {
            Batch batch = loader.epoch(1, 2).next();
            Batch.Origin origin = batch.origin();
            assertEquals(1, origin.epoch());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(origin.source());
            }
            BatchSource copy;
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                copy = (BatchSource) in.readObject();
            }
            // rows 2..5 of the batch, as a replica holding the second half would make them
            Batch rows = copy.batch(batch.index(), Arrays.copyOfRange(origin.samples(), 2, 6),
                    Arrays.copyOfRange(origin.seeds(), 2, 6));
            assertArrayEquals(Arrays.copyOfRange(batch.images(), 2 * 4, 6 * 4), rows.images());
            assertArrayEquals(Arrays.copyOfRange(batch.labels(), 2, 6), rows.labels());
        }
    }

    @Test
    void batchesDoNotDependOnWorkerCountAndResumeMidEpoch() {
        ImagePipeline augmenting = ImagePipeline.of(new RandomCrop(2, 2, 1), new RandomHorizontalFlip(0.5f),
                Normalize.uniform(1, 0.5f, 0.5f));
        DataLoader.Options options = DataLoader.Options.training(4, 3);
        try (DataLoader one = new DataLoader(numbered(), augmenting, options);
             DataLoader three = new DataLoader(numbered(), augmenting, options.withWorkers(3))) {
            List<float[]> serial = drain(one.epoch(2));
            List<float[]> parallel = drain(three.epoch(2));
            assertEquals(serial.size(), parallel.size());
            for (int i = 0; i < serial.size(); i++) {
                assertArrayEquals(serial.get(i), parallel.get(i), "batch " + i);
            }
            List<float[]> resumed = drain(three.epoch(2, 3));
            assertEquals(serial.size() - 3, resumed.size());
            for (int i = 0; i < resumed.size(); i++) {
                assertArrayEquals(serial.get(3 + i), resumed.get(i), "resumed batch " + (3 + i));
            }
        }
    }

    @Test
    void fullBatchArraysAreRecycled() {
        DataLoader.Options options = new DataLoader.Options(2, true, true, 1, 1, 1);
        try (DataLoader loader = new DataLoader(numbered(), IDENTITY, options)) {
            DataLoader.Epoch epoch = loader.epoch(0);
            float[] first = epoch.next().images();
            epoch.next();
            float[] third = epoch.next().images();
            assertSame(first, third, "prefetch 1 needs only two buffers");
        }
    }

    @Test
    void batchLargerThanDatasetWithDropLastIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DataLoader(numbered(), IDENTITY, DataLoader.Options.training(24, 1)));
        assertTrue(e.getMessage().contains("leaves no batch"), e.getMessage());
    }
}
