package dev.vgg4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StratifiedSplitTest {

    /** 3 classes of 100, 50 and 7 images, interleaved. */
    private static int[] labels() {
        int[] labels = new int[157];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i < 100 ? 0 : i < 150 ? 1 : 2;
        }
        int[] shuffled = labels.clone();
        StratifiedSplit.shuffle(shuffled, new java.util.SplittableRandom(3));
        return shuffled;
    }

    @Test
    void keepsEachClassShareAndSizesValidationAsScikitLearn() {
        int[] labels = labels();
        StratifiedSplit.Indices split = StratifiedSplit.split(labels, 0.1, 7);
        assertEquals((int) Math.ceil(157 * 0.1), split.validation().length);
        long[] valPerClass = new long[3];
        for (int i : split.validation()) {
            valPerClass[labels[i]]++;
        }
        // floors 10, 5, 0 plus one image for the largest remainder (class 2: 0.7)
        assertArrayEquals(new long[] {10, 5, 1}, valPerClass);
    }

    @Test
    void partsAreDisjointSortedAndCoverEveryIndex() {
        StratifiedSplit.Indices split = StratifiedSplit.split(labels(), 0.1, 7);
        int[] all = IntStream.concat(Arrays.stream(split.train()), Arrays.stream(split.validation())).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 157).toArray(), all);
        assertArrayEquals(Arrays.stream(split.train()).sorted().toArray(), split.train());
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        int[] labels = labels();
        assertArrayEquals(StratifiedSplit.split(labels, 0.1, 7).validation(),
                StratifiedSplit.split(labels, 0.1, 7).validation());
        assertFalse(Arrays.equals(StratifiedSplit.split(labels, 0.1, 7).validation(),
                StratifiedSplit.split(labels, 0.1, 8).validation()));
    }

    @Test
    void rejectsFractionOutsideOpenUnitInterval() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StratifiedSplit.split(labels(), 1.0, 1));
        assertTrue(e.getMessage().contains("(0, 1)"), e.getMessage());
    }
}
