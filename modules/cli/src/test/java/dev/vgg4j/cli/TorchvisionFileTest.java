package dev.vgg4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.model.ClassifierLayout;
import dev.vgg4j.model.Vgg;
import dev.vgg4j.model.VggConfig;
import dev.vgg4j.model.io.DType;
import dev.vgg4j.model.io.SafeTensors;
import dev.vgg4j.model.io.TensorEntry;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.Backends;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plain PyTorch state dicts (torchvision's keys, no vgg4j metadata) from the command line:
 * evaluate, predict and fine-tune with {@code --init}; and the model flags' refusals.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TorchvisionFileTest {
    private static final VggConfig SMALL = VggConfig.named("vgg11_bn").withWidth(0.125).withHidden(32)
            .withClassifier(ClassifierLayout.TORCHVISION).withSeed(4);

    private Path dir;
    private Path data;
    private Path tenClasses;
    private Path sevenClasses;

    @BeforeAll
    void writeFiles(@TempDir Path tempDir) throws IOException {
        dir = tempDir;
        data = TinyCifar.write(dir.resolve("data"), 10, 3);
        tenClasses = plainFile(SMALL.withNumClasses(10), DType.BF16, "module.", "ten.safetensors");
        sevenClasses = plainFile(SMALL.withNumClasses(7), DType.F16, "", "seven.safetensors");
    }

    /** A state dict as PyTorch saves it: no metadata, floats as {@code dtype}, keys with {@code prefix}. */
    private Path plainFile(VggConfig config, DType dtype, String prefix, String name) throws IOException {
        Path file = dir.resolve(name);
        try (Backend backend = Backends.create("reference", BackendOptions.defaults()); Vgg vgg = config.create(backend)) {
            List<TensorEntry> tensors = new ArrayList<>();
            for (TensorEntry e : vgg.stateDict().values()) {
                String key = prefix + e.name();
                tensors.add(e.dtype().isFloat() ? TensorEntry.floats(key, dtype, e.shape(), e.floats()) : e.renamed(key));
            }
            SafeTensors.write(file, tensors, Map.of());
        }
        return file;
    }

    @Test
    void evaluateNeedsTheImageSizeOfAPlainStateDictAndThenRunsIt() {
        CliRun without = CliRun.of("evaluate", "--checkpoint", tenClasses.toString(), "--dataset", "cifar10",
                "--data-dir", data.toString(), "--threads", "1");
        assertEquals(2, without.exitCode(), without.err());
        assertEquals(1, without.errLines(), without.err());
        assertTrue(without.err().contains("has no vgg4j metadata") && without.err().contains("--image-size"),
                without.err());

        CliRun evaluate = CliRun.of("evaluate", "--checkpoint", tenClasses.toString(), "--image-size", "32",
                "--dataset", "cifar10", "--data-dir", data.toString(), "--threads", "1");
        assertEquals(0, evaluate.exitCode(), evaluate.err());
        assertTrue(evaluate.out().contains("(vgg11_bn)") && evaluate.out().contains("Accuracy: "), evaluate.out());
    }

    @Test
    void predictRunsAPlainStateDictAtANonSquareSize() throws IOException {
        Path image = dir.resolve("one.png");
        ImageIO.write(new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB), "png", image.toFile());
        CliRun predict = CliRun.of("predict", "--checkpoint", tenClasses.toString(), "--image-size", "40x32",
                "--threads", "1", image.toString());
        assertEquals(0, predict.exitCode(), predict.err());
        assertEquals(5, predict.out().lines().filter(l -> l.matches(" +\\d+\\.\\d\\d% {2}class \\d")).count(),
                predict.out());
    }

    @Test
    void trainInitFineTunesAndReplacesTheLastLinearForAnotherClassCount() {
        CliRun train = CliRun.of("train", "--dataset", "cifar10", "--data-dir", data.toString(),
                "--init", sevenClasses.toString(), "--image-size", "32", "--dropout", "0.3", "--epochs", "1",
                "--batch-size", "8", "--threads", "1", "--seed", "1", "--out", dir.resolve("run").toString());
        assertEquals(0, train.exitCode(), train.err());
        assertTrue(train.out().contains("Initialised from " + sevenClasses + " (vgg11_bn, 7 classes): "
                + "classifier.6.bias and classifier.6.weight start fresh for the 10 classes here"), train.out());
        assertTrue(train.out().contains("Test Acc: "), train.out());
    }

    @Test
    void modelFlagsAreChecked() {
        for (String[] args : List.of(
                new String[] {"--dropout", "1", "--dropout: expected a probability in [0, 1), got 1.0"},
                new String[] {"--classifier", "keras", "--classifier: unknown classifier layout 'keras'"},
                new String[] {"--image-size", "32x", "--image-size: image size '32x'"},
                new String[] {"--hidden", "0", "--hidden: expected a positive size, got 0"})) {
            CliRun run = CliRun.of("train", "--dataset", "cifar10", "--data-dir", data.toString(), args[0], args[1]);
            assertEquals(2, run.exitCode(), run.err());
            assertEquals(1, run.errLines(), run.err());
            assertTrue(run.err().contains(args[2]), run.err());
        }
        CliRun both = CliRun.of("train", "--dataset", "cifar10", "--data-dir", data.toString(),
                "--init", sevenClasses.toString(), "--model", "vgg13");
        assertEquals(2, both.exitCode(), both.err());
        assertTrue(both.err().contains("--model: not with --init"), both.err());
    }
}
