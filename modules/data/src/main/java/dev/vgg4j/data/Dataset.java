package dev.vgg4j.data;

import dev.vgg4j.data.transform.ImageSize;
import java.io.Serializable;
import java.util.List;

/**
 * A labelled image set held in memory as uint8 pixels, {@code [N, C, H, W]} row-major (CIFAR-10's
 * own planar order), with class names. Readers (IDX, CIFAR-10, image folders) produce it; the
 * split and the data loader consume it. Immutable; {@link #subset} copies. Serializable, so that a
 * data-parallel engine can ship it to its replicas once ({@link BatchSource}).
 */
public final class Dataset implements Serializable {
    private final String name;
    private final byte[] pixels;
    private final int[] labels;
    private final int channels;
    private final int height;
    private final int width;
    private final List<String> classNames;

    /**
     * @param pixels {@code labels.length * channels * height * width} bytes, image after image
     * @param labels class index of each image, {@code 0 <= label < classNames.size()}
     */
    public Dataset(String name, byte[] pixels, int[] labels, int channels, int height, int width,
                   List<String> classNames) {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException(name + ": image shape " + channels + "x" + height + "x" + width
                    + " must be positive");
        }
        long expected = (long) labels.length * channels * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException(name + ": " + pixels.length + " pixel bytes for " + labels.length
                    + " images of " + channels + "x" + height + "x" + width + ", expected " + expected);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new IllegalArgumentException(name + ": label " + labels[i] + " of image " + i
                        + " is out of range 0.." + (classNames.size() - 1));
            }
        }
        this.name = name;
        this.pixels = pixels;
        this.labels = labels;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classNames = List.copyOf(classNames);
    }

    public String name() {
        return name;
    }

    public int size() {
        return labels.length;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** The size of one image, {@code [C, H, W]}. */
    public ImageSize imageSize() {
        return new ImageSize(channels, height, width);
    }

    /** Bytes per image: {@code C * H * W}. */
    public int imageBytes() {
        return channels * height * width;
    }

    public List<String> classNames() {
        return classNames;
    }

    public int numClasses() {
        return classNames.size();
    }

    public int label(int index) {
        return labels[index];
    }

    /** A copy of all labels. */
    public int[] labels() {
        return labels.clone();
    }

    /** Copies image {@code index} ({@code [C, H, W]} bytes) into {@code dst} at {@code offset}. */
    public void copyImage(int index, byte[] dst, int offset) {
        System.arraycopy(pixels, index * imageBytes(), dst, offset, imageBytes());
    }

    /** The images at {@code indices}, in that order. */
    public Dataset subset(String subsetName, int[] indices) {
        int bytes = imageBytes();
        byte[] px = new byte[indices.length * bytes];
        int[] lb = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            copyImage(indices[i], px, i * bytes);
            lb[i] = labels[indices[i]];
        }
        return new Dataset(subsetName, px, lb, channels, height, width, classNames);
    }

    @Override
    public String toString() {
        return name + " (" + size() + " images, " + channels + "x" + height + "x" + width + ", "
                + numClasses() + " classes)";
    }
}
