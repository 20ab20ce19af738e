package dev.vgg4j.datasets;

import dev.vgg4j.data.Dataset;

/** A dataset's official training and test sets, e.g. CIFAR-10's 50,000 and 10,000 images. */
public record TrainAndTest(Dataset train, Dataset test) {
    public TrainAndTest {
        if (!train.classNames().equals(test.classNames())) {
            throw new IllegalArgumentException("train and test sets name different classes: "
                    + train.classNames() + " vs " + test.classNames());
        }
    }
}
