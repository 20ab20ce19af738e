package dev.vgg4j.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.data.Dataset;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    @TempDir
    Path root;

    @Test
    void oneSubFolderPerClassSortedByNameWithPlanarRgbPixels() throws IOException {
        writePng("dog/b.png", 4, 3, 0x102030);
        writePng("cat/a.png", 4, 3, 0x405060);
        writePng("cat/c.png", 4, 3, 0x708090);
        Files.writeString(root.resolve("cat/notes.txt"), "not an image");

        Dataset set = ImageFolder.load(root);

        assertEquals(List.of("cat", "dog"), set.classNames());
        assertEquals(3, set.size());
        assertEquals(3, set.channels());
        assertEquals(3, set.height());
        assertEquals(4, set.width());
        assertEquals(0, set.label(0));
        assertEquals(0, set.label(1));
        assertEquals(1, set.label(2));
        byte[] image = new byte[set.imageBytes()];
        set.copyImage(2, image, 0);
        int plane = 3 * 4;
        assertEquals(0x10, image[0] & 0xFF, "red plane");
        assertEquals(0x20, image[plane] & 0xFF, "green plane");
        assertEquals(0x30, image[2 * plane + plane - 1] & 0xFF, "blue plane, last pixel");
    }

    @Test
    void anImageOfAnotherSizeIsRejectedByName() throws IOException {
        writePng("cat/a.png", 4, 4, 0);
        Path odd = writePng("dog/b.png", 5, 4, 0);

        DatasetException e = assertThrows(DatasetException.class, () -> ImageFolder.load(root));

        assertTrue(e.getMessage().startsWith(odd + ": image is 5x4, expected 4x4"), e.getMessage());
    }

    @Test
    void aFileThatIsNoImageIsNamed() throws IOException {
        writePng("cat/a.png", 4, 4, 0);
        Files.createDirectories(root.resolve("dog"));
        Path broken = Files.writeString(root.resolve("dog/b.jpg"), "garbage");

        DatasetException e = assertThrows(DatasetException.class, () -> ImageFolder.load(root));

        assertTrue(e.getMessage().startsWith(broken.toString()), e.getMessage());
    }

    @Test
    void fourHugeImagesGiveOneClearLineNotANegativeArraySize() throws IOException {
        for (String name : List.of("cat/a.png", "cat/b.png", "dog/c.png", "dog/d.png")) {
            PngHeader.write(root.resolve(name), 15000, 15000);
        }

        DatasetException e = assertThrows(DatasetException.class, () -> ImageFolder.load(root));

        assertEquals(root.resolve("cat/a.png") + ": image is 15000x15000 (225000000 pixels), more than the 67108864"
                + " pixels (8192x8192) an image may have", e.getMessage());
    }

    @Test
    void imagesThatTogetherExceedOneArrayAreRefusedBeforeAnyIsDecoded() throws IOException {
        for (int i = 0; i < 30; i++) {
            PngHeader.write(root.resolve((i % 2 == 0 ? "cat/" : "dog/") + i + ".png"), 5000, 5000);
        }

        DatasetException e = assertThrows(DatasetException.class, () -> ImageFolder.load(root));

        assertEquals(root + ": 30 images of 5000x5000 RGB take 2250000000 bytes, more than the 2147483639"
                + " one dataset can hold (use fewer or smaller images)", e.getMessage());
    }

    @Test
    void aFolderWithoutClassFoldersSaysWhatIsExpected() {
        DatasetException e = assertThrows(DatasetException.class, () -> ImageFolder.load(root));

        assertTrue(e.getMessage().contains("one sub-folder of images per class"), e.getMessage());
    }

    private Path writePng(String name, int width, int height, int rgb) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        Path file = root.resolve(name);
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
        return file;
    }
}
