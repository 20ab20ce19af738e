package dev.vgg4j.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFileTest {
    @TempDir
    Path dir;

    @Test
    void readsRgbPlanesOrLuminance() throws IOException {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xFF0000);
        image.setRGB(1, 0, 0x0000FF);
        Path file = dir.resolve("two.png");
        ImageIO.write(image, "png", file.toFile());

        ImageFile rgb = ImageFile.read(file, 3);
        ImageFile grey = ImageFile.read(file, 1);

        assertArrayEquals(new byte[] {(byte) 255, 0, 0, 0, 0, (byte) 255}, rgb.pixels());
        assertEquals(1, rgb.height());
        assertEquals(2, rgb.width());
        assertArrayEquals(new byte[] {(byte) Math.round(0.299 * 255), (byte) Math.round(0.114 * 255)}, grey.pixels());
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("missing.png");

        DatasetException e = assertThrows(DatasetException.class, () -> ImageFile.read(missing, 3));

        assertEquals(true, e.getMessage().startsWith(missing.toString()), e.getMessage());
    }
}
