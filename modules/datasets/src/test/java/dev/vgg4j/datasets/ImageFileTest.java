package dev.vgg4j.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
    void aMissingFileIsSaidToNotExist() {
        Path missing = dir.resolve("missing.png");

        DatasetException e = assertThrows(DatasetException.class, () -> ImageFile.read(missing, 3));

        assertEquals(missing + ": does not exist", e.getMessage());
    }

    @Test
    void theSizeComesFromTheHeaderAlone() throws IOException {
        Path file = PngHeader.write(dir.resolve("header-only.png"), 5000, 3000);

        assertEquals(new ImageFile.Size(5000, 3000), ImageFile.readSize(file));
    }

    @Test
    void anImageOverThePixelLimitIsRefusedBeforeDecoding() throws IOException {
        Path file = PngHeader.write(dir.resolve("huge.png"), 15000, 15000);

        DatasetException e = assertThrows(DatasetException.class, () -> ImageFile.read(file, 3));

        assertEquals(file + ": image is 15000x15000 (225000000 pixels), more than the 67108864 pixels (8192x8192)"
                + " an image may have", e.getMessage());
    }

    @Test
    void aHeaderWhoseWidthTimesHeightOverflowsAnIntIsRefused() throws IOException {
        Path file = PngHeader.write(dir.resolve("wraps.png"), 65536, 65536); // 2^32 pixels: 0 in an int

        DatasetException e = assertThrows(DatasetException.class, () -> ImageFile.read(file, 1));

        assertTrue(e.getMessage().startsWith(file + ": image is 65536x65536 (4294967296 pixels), more than"),
                e.getMessage());
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // on failure the read blocks on the pipe
    void aPipeIsRefusedWithoutOpeningIt() throws Exception {
        Path pipe = dir.resolve("pipe.png");
        assumeTrue(new ProcessBuilder("mkfifo", pipe.toString()).start().waitFor() == 0, "mkfifo failed; pipe not tested");

        DatasetException e = assertThrows(DatasetException.class, () -> ImageFile.read(pipe, 3));

        assertEquals(pipe + ": is not a regular file (a device, pipe or socket), expected a PNG or JPEG image",
                e.getMessage());
    }
}
