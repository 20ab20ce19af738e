package dev.vgg4j.datasets;

import dev.vgg4j.core.Sizes;
import dev.vgg4j.data.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A user's own images: one sub-folder per class (its name is the class name, classes sorted by
 * name), holding PNG or JPEG files (other files are ignored). Images are read as RGB.
 *
 * <p>All images must have the same width and height: an image of another size is rejected with an
 * error naming it and the expected size, rather than silently resized, because a mixed folder is
 * usually a mistake and the trainer's {@code --image-size} resize applies to the whole set anyway.
 */
public final class ImageFolder {
    private static final int CHANNELS = 3;

    private ImageFolder() {}

    public static Dataset load(Path root) {
        List<Path> classFolders = subFolders(root);
        List<String> classNames = classFolders.stream().map(p -> p.getFileName().toString()).toList();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int label = 0; label < classFolders.size(); label++) {
            List<Path> images = imageFiles(classFolders.get(label));
            if (images.isEmpty()) {
                throw new DatasetException(classFolders.get(label) + ": no .png, .jpg or .jpeg image in this class folder");
            }
            files.addAll(images);
            for (int i = 0; i < images.size(); i++) {
                labels.add(label);
            }
        }
        byte[] pixels = new byte[datasetBytes(root, files)];
        ImageFile first = ImageFile.read(files.getFirst(), CHANNELS);
        int imageBytes = first.pixels().length;
        for (int i = 0; i < files.size(); i++) {
            ImageFile image = i == 0 ? first : ImageFile.read(files.get(i), CHANNELS);
            if (image.width() != first.width() || image.height() != first.height()) {
                throw new DatasetException(files.get(i) + ": image is " + image.width() + "x" + image.height()
                        + ", expected " + first.width() + "x" + first.height() + " like " + files.getFirst()
                        + " (all images of a folder dataset must have one size)");
            }
            System.arraycopy(image.pixels(), 0, pixels, i * imageBytes, imageBytes);
        }
        int[] labelArray = labels.stream().mapToInt(Integer::intValue).toArray();
        return new Dataset("folder:" + root.getFileName(), pixels, labelArray, CHANNELS, first.height(), first.width(),
                classNames);
    }

    /**
     * The bytes of all images, from the first image's header (the others must match it), before
     * any pixel is decoded: the set is one Java array, so it must fit in 2^31 - 9 bytes.
     */
    private static int datasetBytes(Path root, List<Path> files) {
        ImageFile.Size size = ImageFile.readSize(files.getFirst());
        long total = Sizes.saturatedProduct(files.size(), CHANNELS, size.height(), size.width());
        if (total > Sizes.MAX_ARRAY_LENGTH) {
            throw new DatasetException(root + ": " + files.size() + " images of " + size.width() + "x" + size.height()
                    + " RGB take " + Sizes.describe(total) + " bytes, more than the " + Sizes.MAX_ARRAY_LENGTH
                    + " one dataset can hold (use fewer or smaller images)");
        }
        return (int) total;
    }

    private static List<Path> subFolders(Path root) {
        if (!Files.isDirectory(root)) {
            throw new DatasetException(root + ": not a folder; expected a folder with one sub-folder per class");
        }
        List<Path> folders = list(root).filter(Files::isDirectory).toList();
        if (folders.size() < 2) {
            throw new DatasetException(root + ": " + folders.size()
                    + " class sub-folder(s), expected at least 2 (one sub-folder of images per class)");
        }
        return folders;
    }

    private static List<Path> imageFiles(Path folder) {
        return list(folder).filter(p -> !Files.isDirectory(p) && isImageName(p)).toList();
    }

    private static boolean isImageName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg");
    }

    /** The entries of {@code folder}, sorted by name so labels and order do not depend on the file system. */
    private static Stream<Path> list(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.sorted().toList().stream();
        } catch (IOException e) {
            throw new DatasetException(folder + ": cannot list (" + e.getMessage() + ")", e);
        }
    }
}
