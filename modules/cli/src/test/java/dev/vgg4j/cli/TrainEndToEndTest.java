package dev.vgg4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.train.EpochRow;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vgg4j train} on tiny CIFAR-format files written here, then {@code evaluate}, {@code predict}
 * and a resume on its run folder. One small run (vgg11_bn at width 1/8, 2 epochs of 45 images)
 * is shared by the tests, which run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainEndToEndTest {
    private Path dir;
    private Path out;
    private CliRun train;

    @BeforeAll
    void trainTwoEpochs(@TempDir Path tempDir) throws IOException {
        dir = tempDir;
        Path data = TinyCifar.write(dir.resolve("data"), 10, 3);
        out = dir.resolve("run");
        train = CliRun.of(trainArgs(data, 2, "--out", out.toString()));
    }

    @Test
    @Order(1)
    void printsTheRecipesEpochLinesAndTheTestAccuracy() {
        assertEquals(0, train.exitCode(), train.err());
        assertTrue(train.out().contains("Epoch:  1/2 | Epoch Duration: "), train.out());
        assertTrue(train.out().contains("Epoch:  2/2 | Epoch Duration: "), train.out());
        assertTrue(train.out().contains("45 train / 5 val / 10 test images"), train.out());
        assertTrue(testAccuracy(train.out()).matches("[01]\\.\\d{3}"), train.out());
    }

    @Test
    @Order(2)
    void writesTheRunFolder() throws IOException {
        List<String> metrics = Files.readAllLines(out.resolve(RunFolder.METRICS));
        assertEquals(EpochRow.CSV_HEADER, metrics.getFirst());
        assertEquals(List.of(1, 2), metrics.stream().skip(1).map(l -> EpochRow.parse(l, "metrics").epoch()).toList());
        BufferedImage curves = ImageIO.read(out.resolve(RunFolder.CURVES).toFile());
        assertEquals(900, curves.getWidth());
        assertTrue(Files.size(out.resolve(RunFolder.LAST)) > 0);
        assertTrue(Files.size(out.resolve(RunFolder.BEST)) > 0);
        RunInfo info = RunInfo.parse(Files.readString(out.resolve(RunFolder.RUN_JSON)), RunFolder.RUN_JSON);
        assertEquals("cifar10", info.dataset());
        assertEquals(List.of(TinyCifar.CLASSES), info.classNames());
        String json = Files.readString(out.resolve(RunFolder.RUN_JSON));
        assertTrue(json.matches("(?s).*\"sha256\": \"[0-9a-f]{64}\".*"), json);
        assertTrue(json.contains("\"test\": {"), json);
    }

    @Test
    @Order(3)
    void evaluateReproducesTheTestAccuracyFromTheCheckpoint() {
        CliRun evaluate = CliRun.of("evaluate", "--checkpoint", out.resolve(RunFolder.LAST).toString(), "--threads", "1");

        assertEquals(0, evaluate.exitCode(), evaluate.err());
        assertTrue(evaluate.out().contains("Accuracy: " + testAccuracy(train.out())), evaluate.out());
        assertTrue(evaluate.out().contains("Confusion matrix"), evaluate.out());
    }

    @Test
    @Order(4)
    void predictNamesTheTopFiveClasses() throws IOException {
        Path image = dir.resolve("one.png");
        ImageIO.write(new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB), "png", image.toFile());

        CliRun predict = CliRun.of("predict", "--checkpoint", out.resolve(RunFolder.BEST).toString(), image.toString());

        assertEquals(0, predict.exitCode(), predict.err());
        List<String> lines = predict.out().lines().toList();
        assertEquals(image + ":", lines.getFirst());
        assertEquals(5, lines.stream().filter(l -> l.matches(" +\\d+\\.\\d\\d% {2}\\w+")).count(), predict.out());
    }

    @Test
    @Order(5)
    void aCheckpointOfAnotherModelIsRefused() {
        CliRun evaluate = CliRun.of("evaluate", "--checkpoint", out.resolve(RunFolder.LAST).toString(),
                "--dataset", "fashion-mnist-sample");

        assertEquals(2, evaluate.exitCode());
        assertEquals(1, evaluate.errLines(), evaluate.err());
        assertTrue(evaluate.err().contains("--checkpoint holds vgg11_bn for 10 classes of 3-channel images"), evaluate.err());
    }

    @Test
    @Order(6)
    void resumingContinuesTheRunFolder() throws IOException {
        CliRun resumed = CliRun.of(trainArgs(dir.resolve("data"), 3, "--resume", out.resolve(RunFolder.LAST).toString()));

        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().contains("after epoch 2"), resumed.out());
        assertTrue(resumed.out().contains("Epoch:  3/3 | "), resumed.out());
        assertEquals(List.of(1, 2, 3), Files.readAllLines(out.resolve(RunFolder.METRICS)).stream().skip(1)
                .map(l -> EpochRow.parse(l, "metrics").epoch()).toList());
    }

    @Test
    @Order(7)
    void resumingWithAnotherModelIsRefusedAndLeavesTheRunAlone() throws IOException {
        String runJson = Files.readString(out.resolve(RunFolder.RUN_JSON));
        List<String> args = new java.util.ArrayList<>(List.of(trainArgs(dir.resolve("data"), 4,
                "--resume", out.resolve(RunFolder.LAST).toString())));
        args.set(args.indexOf("0.125"), "0.25");

        CliRun resumed = CliRun.of(args.toArray(String[]::new));

        assertEquals(2, resumed.exitCode());
        assertTrue(resumed.err().contains("holds vgg11_bn width 0.125"), resumed.err());
        assertEquals(runJson, Files.readString(out.resolve(RunFolder.RUN_JSON)));
    }

    @Test
    @Order(8)
    void resumingNeedsNoFlagsButTheCheckpointAndTakesTheRunsSettings() throws IOException {
        CliRun resumed = CliRun.of("train", "--resume", out.resolve(RunFolder.LAST).toString(), "--epochs", "4",
                "--threads", "1");

        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().contains("Training vgg11_bn (width 0.125, 32x32 input"), resumed.out());
        assertTrue(resumed.out().contains("45 train / 5 val / 10 test images"), resumed.out());
        assertTrue(resumed.out().contains("after epoch 3"), resumed.out());
        assertTrue(resumed.out().contains("Epoch:  4/4 | "), resumed.out());
        String json = Files.readString(out.resolve(RunFolder.RUN_JSON));
        assertTrue(json.contains("\"batch_size\": 8") && json.contains("\"seed\": 1"), json);
    }

    private static String[] trainArgs(Path data, int epochs, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--dataset", "cifar10", "--data-dir", data.toString(),
                "--model", "vgg11_bn", "--width", "0.125", "--image-size", "32", "--epochs", Integer.toString(epochs),
                "--batch-size", "8", "--threads", "1", "--seed", "1"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static String testAccuracy(String output) {
        Matcher m = Pattern.compile("Test Acc: (\\S+)").matcher(output);
        return m.find() ? m.group(1) : "(no Test Acc line)";
    }
}
