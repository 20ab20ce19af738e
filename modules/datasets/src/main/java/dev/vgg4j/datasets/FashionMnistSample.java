package dev.vgg4j.datasets;

import dev.vgg4j.data.Dataset;
import dev.vgg4j.data.FashionMnist;
import dev.vgg4j.data.IdxFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The offline sample shipped inside this jar: a class-balanced subset of the real Fashion-MNIST
 * (Zalando SE, MIT licence, see {@code LICENSE-fashion-mnist.txt} next to the files), 400 training
 * and 100 test images per class, 28x28 grey, as gzip IDX files. {@link FashionMnistSampleTool}
 * made them from Debian's {@code dataset-fashion-mnist}.
 */
public final class FashionMnistSample {
    static final String RESOURCE_DIR = "fashion-mnist-sample/";
    static final int TRAIN_PER_CLASS = 400;
    static final int TEST_PER_CLASS = 100;

    private FashionMnistSample() {}

    public static TrainAndTest load() {
        return new TrainAndTest(load("train", "fashion-mnist-sample/train"), load("t10k", "fashion-mnist-sample/test"));
    }

    private static Dataset load(String prefix, String name) {
        IdxFile images = read(prefix + "-images-idx3-ubyte.gz");
        IdxFile labels = read(prefix + "-labels-idx1-ubyte.gz");
        int[] classes = new int[labels.data().length];
        Arrays.setAll(classes, i -> labels.data()[i] & 0xFF);
        int[] dims = images.dims();
        return new Dataset(name, images.data(), classes, 1, dims[1], dims[2], FashionMnist.CLASS_NAMES);
    }

    private static IdxFile read(String fileName) {
        String resource = RESOURCE_DIR + fileName;
        try (InputStream in = FashionMnistSample.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from the vgg4j-datasets jar");
            }
            return IdxFile.read(in, "embedded " + resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
