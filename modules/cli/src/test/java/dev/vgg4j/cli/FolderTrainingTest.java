package dev.vgg4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --dataset folder:PATH}: a user's own images, limited to a class-balanced subset. */
class FolderTrainingTest {
    @TempDir
    Path dir;

    @Test
    void trainsOnAClassBalancedLimitOfAnImageFolder() throws IOException {
        Path images = dir.resolve("images");
        for (String label : new String[] {"cats", "dogs"}) {
            Files.createDirectories(images.resolve(label));
            for (int i = 0; i < 10; i++) {
                BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
                image.setRGB(i % 8, i / 8, label.equals("cats") ? 0xFF8000 : 0x0080FF);
                ImageIO.write(image, "png", images.resolve(label + "/" + i + ".png").toFile());
            }
        }

        CliRun run = CliRun.of("train", "--dataset", "folder:" + images, "--limit-train", "6", "--model", "vgg11_bn",
                "--width", "0.125", "--image-size", "32", "--epochs", "1", "--batch-size", "2", "--threads", "1",
                "--out", dir.resolve("run").toString());

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("6 train / 2 val images"), run.out());
        assertTrue(run.out().contains("Epoch:  1/1 | "), run.out());
        assertFalse(run.out().contains("Test Acc"), "a folder has no test set of its own: " + run.out());
        assertTrue(Files.readString(dir.resolve("run/run.json")).contains("\"class_names\": [\"cats\", \"dogs\"]"));
    }
}
