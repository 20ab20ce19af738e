package dev.vgg4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
    @TempDir
    Path dir;

    @Test
    void loadsImagesAndLabelsFromIdxFiles() throws IOException {
        byte[] pixels = new byte[2 * 2 * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 20);
        }
        IdxTestFiles.write(dir.resolve("t10k-images-idx3-ubyte.gz"), IdxTestFiles.idx(new int[] {2, 2, 3}, pixels), true);
        IdxTestFiles.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxTestFiles.idx(new int[] {2}, new byte[] {9, 4}), false);

        Dataset test = FashionMnist.load(dir, FashionMnist.Part.TEST);
        assertEquals(2, test.size());
        assertEquals(1, test.channels());
        assertEquals(2, test.height());
        assertEquals(3, test.width());
        assertEquals(9, test.label(0));
        assertEquals("Coat", test.classNames().get(test.label(1)));
        byte[] second = new byte[6];
        test.copyImage(1, second, 0);
        assertEquals((byte) 120, second[0]);
    }

    @Test
    void mismatchedCountsNameBothFiles() throws IOException {
        IdxTestFiles.write(dir.resolve("train-images-idx3-ubyte"), IdxTestFiles.idx(new int[] {2, 1, 1}, new byte[2]), false);
        IdxTestFiles.write(dir.resolve("train-labels-idx1-ubyte"), IdxTestFiles.idx(new int[] {3}, new byte[3]), false);
        IOException e = assertThrows(IOException.class, () -> FashionMnist.load(dir, FashionMnist.Part.TRAIN));
        assertTrue(e.getMessage().contains("2 images") && e.getMessage().contains("3 labels"), e.getMessage());
    }

    @Test
    void missingFilesSayWhereToGetThem() {
        IOException e = assertThrows(IOException.class, () -> FashionMnist.load(dir, FashionMnist.Part.TRAIN));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte") && e.getMessage().contains("dataset-fashion-mnist"),
                e.getMessage());
    }

    @Test
    void aFolderInPlaceOfAnIdxFileIsNamedNotCalledMissing() throws IOException {
        IdxTestFiles.write(dir.resolve("train-images-idx3-ubyte"), IdxTestFiles.idx(new int[] {2, 1, 1}, new byte[2]), false);
        Path labels = Files.createDirectory(dir.resolve("train-labels-idx1-ubyte"));
        IOException e = assertThrows(IOException.class, () -> FashionMnist.load(dir, FashionMnist.Part.TRAIN));
        assertEquals(labels + ": is a folder, expected an IDX file", e.getMessage());
    }

    @Test
    void installedFashionMnistHasTheKnownSizes() throws IOException {
        assumeTrue(FashionMnist.isPresent(FashionMnist.DEFAULT_DIR, FashionMnist.Part.TEST),
                "Fashion-MNIST not installed at " + FashionMnist.DEFAULT_DIR + " (apt-get install dataset-fashion-mnist)");
        Dataset test = FashionMnist.load(FashionMnist.DEFAULT_DIR, FashionMnist.Part.TEST);
        assertEquals(10_000, test.size());
        assertEquals(28, test.height());
        int[] perClass = new int[10];
        for (int label : test.labels()) {
            perClass[label]++;
        }
        for (int count : perClass) {
            assertEquals(1000, count);
        }
    }
}
