package dev.vgg4j.datasets;

import dev.vgg4j.core.io.InputFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * One PNG or JPEG file as planar uint8 pixels, {@code [C, H, W]}: RGB (C = 3) or grey (C = 1).
 *
 * <p>The width and height are read from the file's header and checked against
 * {@link #MAX_PIXELS} before any pixel is decoded, so a small file that claims a huge image costs
 * nothing.
 */
public record ImageFile(byte[] pixels, int channels, int height, int width) {
    /** The most pixels an image may have, 8192 x 8192: a 24-megapixel photo fits. */
    public static final long MAX_PIXELS = 8192L * 8192;
    /** Larger files are refused unread: an 8192 x 8192 RGB PNG stored without compression is 192 MiB. */
    static final long MAX_FILE_BYTES = 256L << 20;
    private static final String WHAT = "a PNG or JPEG image";

    /** An image's size as its header states it. */
    public record Size(int width, int height) {}

    private interface Decoder<T> {
        T decode(ImageReader reader, Size size) throws IOException;
    }

    /** Reads {@code file} with {@code channels} 3 (RGB planes) or 1 (luminance, as ITU-R 601 weights it). */
    public static ImageFile read(Path file, int channels) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("images are read with 1 or 3 channels, not " + channels);
        }
        BufferedImage image = withReader(file, (reader, size) -> reader.read(0));
        int height = image.getHeight();
        int width = image.getWidth();
        int plane = height * width; // at most MAX_PIXELS, checked from the header
        byte[] pixels = new byte[channels * plane];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xFF;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                int at = y * width + x;
                if (channels == 3) {
                    pixels[at] = (byte) r;
                    pixels[at + plane] = (byte) g;
                    pixels[at + 2 * plane] = (byte) b;
                } else {
                    pixels[at] = (byte) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
                }
            }
        }
        return new ImageFile(pixels, channels, height, width);
    }

    /** The width and height in {@code file}'s header, without decoding its pixels. */
    public static Size readSize(Path file) {
        return withReader(file, (reader, size) -> size);
    }

    /**
     * Checks {@code file} (a regular file of at most {@link #MAX_FILE_BYTES}), finds its decoder,
     * reads and checks the size in its header, and only then hands it to {@code decoder}.
     */
    private static <T> T withReader(Path file, Decoder<T> decoder) {
        try (InputStream bytes = InputFiles.open(file, MAX_FILE_BYTES, WHAT);
             ImageInputStream in = new MemoryCacheImageInputStream(bytes)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new DatasetException(file + ": not a PNG or JPEG image (its first bytes are no known image format)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                Size size = new Size(reader.getWidth(0), reader.getHeight(0));
                long pixels = (long) size.width() * size.height();
                if (pixels > MAX_PIXELS) {
                    throw new DatasetException(file + ": image is " + size.width() + "x" + size.height() + " ("
                            + pixels + " pixels), more than the " + MAX_PIXELS + " pixels (8192x8192) an image may have");
                }
                return decoder.decode(reader, size);
            } finally {
                reader.dispose();
            }
        } catch (IIOException e) {
            throw new DatasetException(file + ": not a readable PNG or JPEG image (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new DatasetException(InputFiles.failure(file, e).getMessage(), e);
        }
    }
}
