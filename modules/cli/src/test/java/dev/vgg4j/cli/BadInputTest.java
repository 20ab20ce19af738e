package dev.vgg4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.model.Checkpoints;
import dev.vgg4j.model.Vgg;
import dev.vgg4j.model.VggConfig;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.Backends;
import dev.vgg4j.train.RunOutputException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import org.junit.jupiter.api.io.TempDir;

/** Bad flags and files give exit code 2 and one line that names the flag or file, without a stack trace. */
class BadInputTest {
    @TempDir
    Path dir;

    @Test
    void anUnknownFlagIsNamed() {
        assertOneLine(CliRun.of("backends", "--no-such-flag"), "--no-such-flag");
    }

    @Test
    void aMissingCommandIsExplained() {
        assertOneLine(CliRun.of(), "a command is needed");
    }

    @Test
    void aMalformedNumberNamesItsFlag() {
        assertOneLine(CliRun.of("train", "--epochs", "many"), "--epochs");
    }

    @Test
    void aNonPositiveEpochCountNamesItsFlag() {
        assertOneLine(CliRun.of("train", "--epochs", "0"), "--epochs: expected a positive number, got 0");
    }

    @Test
    void anUnknownConvolutionAlgorithmNamesItsFlagAndTheChoices() {
        assertOneLine(CliRun.of("train", "--conv-algorithm", "fft"),
                "--conv-algorithm: expected auto, im2col or winograd, got 'fft'");
    }

    @Test
    void fp16OnACpuBackendIsRefusedNamingTheBackendsThatHaveIt() {
        for (String backend : new String[] {"cpu", "reference"}) {
            assertOneLine(CliRun.of("train", "--backend", backend, "--precision", "fp16"),
                    "--precision fp16: not supported by backend " + backend + "; supported by: ");
        }
    }

    @Test
    void anUnknownPrecisionNamesTheChoices() {
        assertOneLine(CliRun.of("train", "--precision", "bf16"), "--precision: expected fp32 or fp16, got 'bf16'");
    }

    @Test
    void anUnknownDatasetListsTheKnownOnes() {
        assertOneLine(CliRun.of("train", "--dataset", "imagenet"), "--dataset: 'imagenet' is not a dataset; expected cifar10");
    }

    @Test
    void anUnknownModelNamesItsFlag() throws IOException {
        Path data = TinyCifar.write(dir, 2, 1);
        assertOneLine(train(data, "--model", "vgg17"), "--model: unknown model 'vgg17'");
    }

    @Test
    void anUnknownBackendListsTheKnownOnes() throws IOException {
        Path data = TinyCifar.write(dir, 2, 1);
        assertOneLine(train(data, "--backend", "abacus"), "--backend: unknown backend 'abacus'");
    }

    @Test
    void sparkWithoutTheEngineOnTheClassPathSaysHowToGetIt() throws IOException {
        Path data = TinyCifar.write(dir, 2, 1);
        assertOneLine(train(data, "--spark", "local[2]"), "--spark: the spark engine is not on the class path");
    }

    @Test
    void partitionedSparkDataWithoutSparkNamesTheFlags() throws IOException {
        Path data = TinyCifar.write(dir, 2, 1);
        assertOneLine(train(data, "--spark-data", "partitioned"), "--spark-data partitioned: only with --spark MASTER");
        assertOneLine(train(data, "--spark-data", "sharded"), "--spark-data: expected broadcast or partitioned, got 'sharded'");
    }

    @Test
    void workersWithoutSparkNamesTheFlag() throws IOException {
        Path data = TinyCifar.write(dir, 2, 1);
        assertOneLine(train(data, "--workers", "2"), "--workers: only with --spark MASTER");
    }

    @Test
    void aPartialCifarRecordIsNamedAsDamage() throws IOException {
        Path data = TinyCifar.write(dir, 4, 1);
        Path batch = data.resolve("cifar-10-batches-bin/data_batch_2.bin");
        byte[] bytes = Files.readAllBytes(batch);
        Files.write(batch, Arrays.copyOf(bytes, bytes.length - 1000));

        assertOneLine(train(data), batch + ": truncated or damaged: 11292 bytes is 3 whole records and 2073 bytes over");
    }

    @Test
    void predictOnAMissingImageSaysItDoesNotExist() throws IOException {
        Path data = TinyCifar.write(dir, 4, 1);
        assertEquals(0, train(data).exitCode());
        Path missing = dir.resolve("missing.png");

        CliRun run = CliRun.of("predict", "--checkpoint", dir.resolve("run/checkpoint-last.safetensors").toString(),
                missing.toString());

        assertOneLine(run, missing + ": does not exist");
    }

    @Test
    void missingCifarSaysHowToGetIt() {
        assertOneLine(train(dir), "--download");
    }

    @Test
    void aDamagedCheckpointIsNamed() throws IOException {
        Path checkpoint = Files.write(dir.resolve("broken.safetensors"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});

        assertOneLine(CliRun.of("evaluate", "--checkpoint", checkpoint.toString(), "--dataset", "fashion-mnist-sample"),
                checkpoint.toString());
    }

    @Test
    void aMissingCheckpointIsNamed() throws IOException {
        Path image = Files.write(dir.resolve("x.png"), new byte[0]);
        CliRun run = CliRun.of("predict", "--checkpoint", dir.resolve("none.safetensors").toString(), image.toString());

        assertOneLine(run, "--checkpoint: no file " + dir.resolve("none.safetensors"));
    }

    @Test
    void anInfiniteLearningRateNamesItsFlag() {
        assertOneLine(CliRun.of("train", "--lr", "Infinity"), "--lr: expected a positive, finite learning rate, got Infinity");
    }

    @Test
    void farMoreThreadsThanProcessorsAreCappedWithAWarning() {
        int processors = Runtime.getRuntime().availableProcessors();
        CliRun run = CliRun.of("evaluate", "--threads", "100000", "--checkpoint", dir.resolve("none.safetensors").toString());

        assertTrue(run.err().contains("vgg4j evaluate: --threads 100000 is more than the " + processors
                + " processors; using " + processors), run.err());
    }

    @Test
    void evaluateChecksTheCheckpointBeforeLoadingTheDataset() throws IOException {
        Path checkpoint = Files.write(dir.resolve("broken.safetensors"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});

        assertOneLine(CliRun.of("evaluate", "--checkpoint", checkpoint.toString(), "--dataset", "cifar10",
                "--data-dir", dir.resolve("no-data").toString()), checkpoint.toString());
    }

    @Test
    void aMalformedRunJsonBesideTheCheckpointIsAnError() throws IOException {
        Path checkpoint = dir.resolve("run/checkpoint-best.safetensors");
        Files.createDirectories(checkpoint.getParent());
        try (Backend backend = Backends.create("reference", BackendOptions.defaults());
             Vgg model = Vgg.create(backend, VggConfig.custom(List.of(8, "M")).withInChannels(1).withImageSize(8)
                     .withNumClasses(3))) {
            Checkpoints.save(model, checkpoint);
        }
        Files.writeString(checkpoint.resolveSibling(RunFolder.RUN_JSON), "{\"config\": {\"dataset\": ");
        Path image = dir.resolve("one.png");
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY), "png", image.toFile());

        String expected = checkpoint.resolveSibling(RunFolder.RUN_JSON) + ": not a vgg4j run.json (";
        assertOneLine(CliRun.of("predict", "--backend", "reference", "--checkpoint", checkpoint.toString(),
                image.toString()), expected);
        assertOneLine(CliRun.of("evaluate", "--backend", "reference", "--checkpoint", checkpoint.toString()), expected);
    }

    @Test
    void aFailedWriteOfTheRunFolderIsAnEnvironmentFailureNotBadInput() {
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new Vgg4j()).setErr(new PrintWriter(err, true));
        ErrorReport report = new ErrorReport(() -> false);

        int code = report.handleExecutionException(new RunOutputException("runs/x/metrics.csv: writing the metrics of"
                + " epoch 3 failed: No space left on device", new IOException("No space left on device")), command, null);

        assertEquals(ErrorReport.FAILURE, code);
        assertEquals("vgg4j vgg4j: runs/x/metrics.csv: writing the metrics of epoch 3 failed: No space left on device",
                err.toString().strip());
    }

    @Test
    void aFolderGivenAsCheckpointIsNamedAsAFolder() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("checkpoint.safetensors"));
        Path image = Files.write(dir.resolve("x.png"), new byte[0]);

        assertOneLine(CliRun.of("predict", "--checkpoint", folder.toString(), image.toString()),
                folder + ": is a folder, expected a safetensors file");
    }

    @Test
    void debugPrintsTheStackTrace() {
        CliRun run = CliRun.of("train", "--debug", "--dataset", "cifar10", "--data-dir", dir.toString());

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("\tat "), run.err());
    }

    private CliRun train(Path data, String... more) {
        String[] base = {"train", "--dataset", "cifar10", "--data-dir", data.toString(), "--width", "0.125", "--image-size", "32", "--epochs", "1", "--batch-size", "4", "--threads", "1",
                "--out", dir.resolve("run").toString()};
        String[] args = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return CliRun.of(args);
    }

    private static void assertOneLine(CliRun run, String expected) {
        assertEquals(2, run.exitCode(), run.err());
        assertEquals(1, run.errLines(), run.err());
        assertTrue(run.err().contains(expected), "expected '" + expected + "' in: " + run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace without --debug: " + run.err());
    }
}
