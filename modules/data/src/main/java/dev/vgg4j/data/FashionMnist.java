package dev.vgg4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * MNIST-style image sets (Fashion-MNIST, MNIST) read from their four IDX files
 * ({@code train-images-idx3-ubyte[.gz]}, {@code train-labels-idx1-ubyte[.gz]}, {@code t10k-...}).
 * Debian's {@code dataset-fashion-mnist} package installs Fashion-MNIST at {@link #DEFAULT_DIR}.
 * Images come out as {@code [N, 1, 28, 28]} uint8.
 */
public final class FashionMnist {
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** Which half of the set: the 60000 training images or the 10000 test images. */
    public enum Part {
        TRAIN("train"),
        TEST("t10k");

        private final String prefix;

        Part(String prefix) {
            this.prefix = prefix;
        }
    }

    private FashionMnist() {}

    /** Whether {@code dir} holds both files of {@code part}, gzipped or not. */
    public static boolean isPresent(Path dir, Part part) {
        return find(dir, part.prefix + "-images-idx3-ubyte") != null
                && find(dir, part.prefix + "-labels-idx1-ubyte") != null;
    }

    public static Dataset load(Path dir, Part part) throws IOException {
        return load(dir, part, CLASS_NAMES);
    }

    /** Loads {@code part} from {@code dir} with the given class names (MNIST: the digits). */
    public static Dataset load(Path dir, Part part, List<String> classNames) throws IOException {
        Path imagesFile = require(dir, part.prefix + "-images-idx3-ubyte");
        Path labelsFile = require(dir, part.prefix + "-labels-idx1-ubyte");
        IdxFile images = IdxFile.read(imagesFile);
        IdxFile labels = IdxFile.read(labelsFile);
        if (images.dims().length != 3) {
            throw new IOException(imagesFile + ": expected 3 dimensions [N, H, W], got "
                    + Arrays.toString(images.dims()));
        }
        if (labels.dims().length != 1) {
            throw new IOException(labelsFile + ": expected 1 dimension [N], got " + Arrays.toString(labels.dims()));
        }
        if (images.dims()[0] != labels.dims()[0]) {
            throw new IOException(imagesFile + " holds " + images.dims()[0] + " images but " + labelsFile
                    + " holds " + labels.dims()[0] + " labels");
        }
        int[] classes = new int[labels.data().length];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = labels.data()[i] & 0xFF;
            if (classes[i] >= classNames.size()) {
                throw new IOException(labelsFile + ": label " + classes[i] + " of image " + i
                        + " is out of range 0.." + (classNames.size() - 1));
            }
        }
        String name = dir.getFileName() + "/" + part.name().toLowerCase(java.util.Locale.ROOT);
        return new Dataset(name, images.data(), classes, 1, images.dims()[1], images.dims()[2], classNames);
    }

    private static Path require(Path dir, String baseName) throws IOException {
        Path file = find(dir, baseName);
        if (file == null) {
            throw new IOException("no " + baseName + "[.gz] in " + dir
                    + " (on Debian/Ubuntu: apt-get install dataset-fashion-mnist)");
        }
        return file;
    }

    /** The file called {@code baseName}[.gz], whatever its kind: {@link IdxFile#read} says what is wrong with it. */
    private static Path find(Path dir, String baseName) {
        for (String candidate : new String[] {baseName + ".gz", baseName}) {
            Path file = dir.resolve(candidate);
            if (Files.exists(file)) {
                return file;
            }
        }
        return null;
    }
}
