package dev.vgg4j.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.data.Dataset;
import dev.vgg4j.data.FashionMnist;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class FashionMnistSampleTest {
    @Test
    void theEmbeddedSampleIsClassBalancedRealFashionMnist() {
        TrainAndTest sample = FashionMnistSample.load();

        assertCounts(sample.train(), FashionMnistSample.TRAIN_PER_CLASS);
        assertCounts(sample.test(), FashionMnistSample.TEST_PER_CLASS);
        assertEquals(FashionMnist.CLASS_NAMES, sample.train().classNames());
        assertEquals(1, sample.train().channels());
        assertEquals(28, sample.train().height());
        assertEquals(28, sample.train().width());
        assertTrue(meanPixel(sample.train()) > 30 && meanPixel(sample.train()) < 120,
                "real clothing images are mostly dark background: mean " + meanPixel(sample.train()));
    }

    @Test
    void theSampleFilesAndLicenceStayWithinTheirBudget() throws IOException {
        long total = 0;
        for (String name : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "LICENSE-fashion-mnist.txt")) {
            try (InputStream in = FashionMnistSample.class.getResourceAsStream(FashionMnistSample.RESOURCE_DIR + name)) {
                total += in.readAllBytes().length;
            }
        }
        assertTrue(total < 5_000_000, "embedded sample is " + total + " bytes");
    }

    @Test
    void theToolKeepsTheFirstImagesOfEachClassInOrder() {
        int[] labels = {2, 0, 0, 1, 2, 0, 1, 1, 2};
        byte[] pixels = new byte[labels.length];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) i;
        }
        Dataset all = new Dataset("all", pixels, labels, 1, 1, 1, List.of("a", "b", "c"));

        Dataset sample = FashionMnistSampleTool.firstPerClass(all, 2);

        assertArrayEquals(new int[] {2, 0, 0, 1, 2, 1}, sample.labels());
        byte[] image = new byte[1];
        sample.copyImage(5, image, 0);
        assertEquals(6, image[0], "the second image of class 1 is image 6 of the full set");
    }

    private static void assertCounts(Dataset set, int perClass) {
        int[] counts = new int[set.numClasses()];
        for (int label : set.labels()) {
            counts[label]++;
        }
        for (int c = 0; c < counts.length; c++) {
            assertEquals(perClass, counts[c], set.name() + " class " + c);
        }
    }

    private static double meanPixel(Dataset set) {
        byte[] image = new byte[set.imageBytes()];
        long sum = 0;
        for (int i = 0; i < set.size(); i++) {
            set.copyImage(i, image, 0);
            for (byte b : image) {
                sum += b & 0xFF;
            }
        }
        return (double) sum / ((long) set.size() * set.imageBytes());
    }
}
