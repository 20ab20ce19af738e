package dev.vgg4j.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded train/validation split that keeps each class's share in both parts, like scikit-learn's
 * {@code train_test_split(..., stratify=labels)} that the recipe uses (90/10).
 *
 * <p>Each class gives {@code floor(count * valFraction)} images to validation; the images left over
 * by rounding go to the classes with the largest remainders (ties: lower class first) until the
 * validation part holds {@code ceil(N * valFraction)} images, as scikit-learn sizes its test part.
 * Which images of a class go where is a seeded shuffle, so the same seed gives the same split.
 */
public final class StratifiedSplit {
    private StratifiedSplit() {}

    /** Indices into the labelled set: both parts sorted ascending, disjoint, together all indices. */
    public record Indices(int[] train, int[] validation) {}

    public static Indices split(int[] labels, double valFraction, long seed) {
        if (!(valFraction > 0 && valFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + valFraction);
        }
        int numClasses = Arrays.stream(labels).max().orElseThrow(
                () -> new IllegalArgumentException("cannot split an empty label set")) + 1;
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("label " + labels[i] + " at index " + i + " is negative");
            }
            byClass.get(labels[i]).add(i);
        }
        int[] valPerClass = allocate(byClass, labels.length, valFraction);

        SplittableRandom random = new SplittableRandom(seed);
        boolean[] isVal = new boolean[labels.length];
        for (int c = 0; c < numClasses; c++) {
            List<Integer> members = byClass.get(c);
            int[] shuffled = members.stream().mapToInt(Integer::intValue).toArray();
            shuffle(shuffled, random);
            for (int k = 0; k < valPerClass[c]; k++) {
                isVal[shuffled[k]] = true;
            }
        }
        int valCount = Arrays.stream(valPerClass).sum();
        int[] train = new int[labels.length - valCount];
        int[] val = new int[valCount];
        for (int i = 0, t = 0, v = 0; i < labels.length; i++) {
            if (isVal[i]) {
                val[v++] = i;
            } else {
                train[t++] = i;
            }
        }
        return new Indices(train, val);
    }

    /** Splits a dataset into its {@code train} and {@code val} parts. */
    public static Dataset[] split(Dataset dataset, double valFraction, long seed) {
        Indices indices = split(dataset.labels(), valFraction, seed);
        return new Dataset[] {
            dataset.subset(dataset.name() + "/train", indices.train()),
            dataset.subset(dataset.name() + "/val", indices.validation())
        };
    }

    private static int[] allocate(List<List<Integer>> byClass, int total, double valFraction) {
        int target = (int) Math.ceil(total * valFraction);
        int[] counts = new int[byClass.size()];
        double[] remainders = new double[byClass.size()];
        int assigned = 0;
        for (int c = 0; c < counts.length; c++) {
            double exact = byClass.get(c).size() * valFraction;
            counts[c] = (int) Math.floor(exact);
            remainders[c] = exact - counts[c];
            assigned += counts[c];
        }
        while (assigned < target) {
            int best = -1;
            for (int c = 0; c < counts.length; c++) {
                boolean room = counts[c] < byClass.get(c).size();
                if (room && (best < 0 || remainders[c] > remainders[best])) {
                    best = c;
                }
            }
            counts[best]++;
            remainders[best] = -1;
            assigned++;
        }
        return counts;
    }

    static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }
}
