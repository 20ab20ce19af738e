package dev.vgg4j.datasets;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** One PNG or JPEG file as planar uint8 pixels, {@code [C, H, W]}: RGB (C = 3) or grey (C = 1). */
public record ImageFile(byte[] pixels, int channels, int height, int width) {

    /** Reads {@code file} with {@code channels} 3 (RGB planes) or 1 (luminance, as ITU-R 601 weights it). */
    public static ImageFile read(Path file, int channels) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("images are read with 1 or 3 channels, not " + channels);
        }
        BufferedImage image = decode(file);
        int height = image.getHeight();
        int width = image.getWidth();
        int plane = height * width;
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

    private static BufferedImage decode(Path file) {
        try {
            BufferedImage image = ImageIO.read(file.toFile());
            if (image == null) {
                throw new DatasetException(file + ": not a readable PNG or JPEG image");
            }
            return image;
        } catch (javax.imageio.IIOException e) {
            throw new DatasetException(file + ": not a readable PNG or JPEG image (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read image (" + e.getMessage() + ")", e);
        }
    }
}
