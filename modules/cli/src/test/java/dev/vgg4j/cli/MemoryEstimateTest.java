package dev.vgg4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.model.VggConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A run too big for the heap is refused before it allocates, in one line that names what to change. */
class MemoryEstimateTest {
    private static final double GIB = 1L << 30;

    @TempDir
    Path dir;

    @Test
    void bigImagesAreRefusedNamingTheBatchAndImageSize() {
        VggConfig config = VggConfig.named("vgg16_bn").withImageSize(512);
        MemoryEstimate estimate = MemoryEstimate.of(config, 128, 2);
        assertTrue(estimate.activationBytes() > 50 * GIB, "every layer keeps [128, C, H, W] floats: " + estimate);

        BadInputException e = assertThrows(BadInputException.class,
                () -> estimate.check(6 * GIB, 8L << 30, "--batch-size 128 --image-size 512 --width 1.0"));
        assertTrue(e.getMessage().startsWith("--batch-size 128 --image-size 512 --width 1.0: training needs at least"),
                e.getMessage());
        assertTrue(e.getMessage().contains("but the JVM has 6.0 GiB free of its 8.0 GiB heap (Runtime.maxMemory);"
                + " lower --batch-size or --image-size, or give the JVM more with VGG4J_JAVA_OPTS=-Xmx<size>"), e.getMessage());
    }

    @Test
    void aWideModelIsRefusedNamingTheWidth() {
        MemoryEstimate estimate = MemoryEstimate.of(VggConfig.named("vgg16_bn").withWidth(7).withImageSize(50), 128, 2);
        assertTrue(estimate.parameterBytes() > 10 * GIB, estimate.toString());

        BadInputException e = assertThrows(BadInputException.class, () -> estimate.check(6 * GIB, 8L << 30, "--width 7"));
        assertTrue(e.getMessage().contains("; lower --width, or give the JVM more"), e.getMessage());
    }

    @Test
    void theDemoFitsInAQuarterGigabyte() {
        MemoryEstimate estimate = MemoryEstimate.of(VggConfig.named("vgg11_bn").withWidth(0.25).withInChannels(1)
                .withImageSize(32), 64, 2);
        assertTrue(estimate.totalBytes() < 0.25 * GIB && estimate.totalBytes() > 0.01 * GIB, estimate.toString());
        estimate.check(0.25 * GIB, 1L << 30, "--batch-size 64");
    }

    @Test
    void trainRefusesAnImageSizeTooBigForTheHeapAtOnce() throws IOException {
        Path data = TinyCifar.write(dir.resolve("data"), 2, 1);
        assertRefused(data, "2048", "training needs at least");     // ~22 GB of activations at batch 16
        assertRefused(data, "100000", "vgg11_bn cannot be built: shape [");  // no tensor can hold the classifier
    }

    private void assertRefused(Path data, String imageSize, String why) {
        CliRun run = CliRun.of("train", "--dataset", "cifar10", "--data-dir", data.toString(), "--model", "vgg11_bn",
                "--width", "0.125", "--image-size", imageSize, "--batch-size", "16", "--threads", "1",
                "--out", dir.resolve("run" + imageSize).toString());

        assertEquals(2, run.exitCode(), run.err());
        assertEquals(1, run.errLines(), run.err());
        assertTrue(run.err().contains("--image-size " + imageSize) && run.err().contains(why), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
    }

    @Test
    void anOutOfMemoryErrorIsReportedInOneLine() {
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new Vgg4j()).setErr(new PrintWriter(err, true));

        int code = new ErrorReport(() -> false).handleExecutionException(
                new IllegalStateException("loader worker failed", new OutOfMemoryError("Java heap space")), command, null);

        assertEquals(ErrorReport.FAILURE, code);
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().contains("out of memory (Java heap space) with a heap of "), err.toString());
    }
}
