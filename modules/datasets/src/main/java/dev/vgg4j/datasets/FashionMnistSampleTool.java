package dev.vgg4j.datasets;

import dev.vgg4j.data.Dataset;
import dev.vgg4j.data.FashionMnist;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Makes the embedded sample that {@link FashionMnistSample} reads: from a full Fashion-MNIST (by
 * default Debian's {@code /usr/share/datasets/fashion-mnist}) it keeps the first 400 training and
 * the first 100 test images of each class, in file order, and writes them as gzip IDX files.
 * Re-run it only to change the sample; its output is committed under {@code src/main/resources}:
 * <pre>
 * java -cp ... dev.vgg4j.datasets.FashionMnistSampleTool \
 *     /usr/share/datasets/fashion-mnist modules/datasets/src/main/resources/dev/vgg4j/datasets/fashion-mnist-sample
 * </pre>
 */
public final class FashionMnistSampleTool {
    private static final int IDX_UNSIGNED_BYTE = 0x0800;

    private FashionMnistSampleTool() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: FashionMnistSampleTool FASHION_MNIST_DIR OUTPUT_DIR");
            System.exit(2);
        }
        Path source = Path.of(args[0]);
        Path output = Path.of(args[1]);
        Files.createDirectories(output);
        write(firstPerClass(FashionMnist.load(source, FashionMnist.Part.TRAIN), FashionMnistSample.TRAIN_PER_CLASS),
                output, "train");
        write(firstPerClass(FashionMnist.load(source, FashionMnist.Part.TEST), FashionMnistSample.TEST_PER_CLASS),
                output, "t10k");
    }

    /** The first {@code perClass} images of every class, in their original order. */
    static Dataset firstPerClass(Dataset all, int perClass) {
        int[] taken = new int[all.numClasses()];
        int[] indices = new int[perClass * all.numClasses()];
        int count = 0;
        for (int i = 0; i < all.size() && count < indices.length; i++) {
            if (taken[all.label(i)]++ < perClass) {
                indices[count++] = i;
            }
        }
        if (count != indices.length) {
            throw new IllegalArgumentException(all.name() + ": fewer than " + perClass + " images in some class");
        }
        return all.subset(all.name() + "-sample", indices);
    }

    private static void write(Dataset set, Path dir, String prefix) throws IOException {
        byte[] pixels = new byte[set.size() * set.imageBytes()];
        byte[] labels = new byte[set.size()];
        for (int i = 0; i < set.size(); i++) {
            set.copyImage(i, pixels, i * set.imageBytes());
            labels[i] = (byte) set.label(i);
        }
        writeIdx(dir.resolve(prefix + "-images-idx3-ubyte.gz"), new int[] {set.size(), set.height(), set.width()}, pixels);
        writeIdx(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), new int[] {set.size()}, labels);
    }

    /** IDX: magic {@code 00 00 08 D}, D big-endian sizes, the bytes; gzip-compressed. */
    static void writeIdx(Path file, int[] dims, byte[] data) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
             DataOutputStream out = new DataOutputStream(new GZIPOutputStream(raw))) {
            out.writeInt(IDX_UNSIGNED_BYTE | dims.length);
            for (int dim : dims) {
                out.writeInt(dim);
            }
            out.write(data);
        }
    }
}
