package dev.vgg4j.cli;

import dev.vgg4j.train.EpochResult;
import dev.vgg4j.train.Evaluation;
import dev.vgg4j.train.Trainer;
import dev.vgg4j.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run folder, kept current after every epoch: {@code metrics.csv}, {@code curves.png},
 * {@code checkpoint-last.safetensors} (the full training state: resume from it),
 * {@code checkpoint-best.safetensors} (a copy of the last one from the epoch with the lowest
 * validation loss) and {@code run.json} (configuration, environment, results). Every file is
 * replaced whole (written aside, then renamed), so an interrupted run never leaves half a file.
 */
final class RunFolder implements TrainingListener {
    static final String METRICS = "metrics.csv";
    static final String CURVES = "curves.png";
    static final String LAST = "checkpoint-last.safetensors";
    static final String BEST = "checkpoint-best.safetensors";
    static final String RUN_JSON = "run.json";

    private final Path dir;
    private final String chartTitle;
    private final Map<String, Object> runInfo;
    private final List<EpochRow> rows = new ArrayList<>();

    /**
     * Creates {@code dir}; {@code run.json} is written from {@code runInfo} once training starts (so a
     * resume that fails leaves the earlier run's files alone) and completed as training goes.
     */
    RunFolder(Path dir, String chartTitle, Map<String, Object> runInfo) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.chartTitle = chartTitle;
        this.runInfo = new LinkedHashMap<>(runInfo);
    }

    Path dir() {
        return dir;
    }

    @Override
    public void onTrainingStart(Trainer trainer, int firstEpoch, int epochs) {
        rows.addAll(earlierEpochs(firstEpoch));
        runInfo.put("first_epoch", firstEpoch);
        try {
            writeRunJson();
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": writing " + RUN_JSON + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void onEpochEnd(EpochResult epoch, Trainer trainer) {
        rows.add(EpochRow.of(epoch));
        try {
            writeMetrics();
            CurvesChart.write(rows, chartTitle, dir.resolve(CURVES));
            trainer.saveCheckpoint(dir.resolve(LAST));
            if (epoch.validation().loss() <= trainer.bestValidationLoss()) {
                replace(dir.resolve(BEST), temp -> Files.copy(dir.resolve(LAST), temp, StandardCopyOption.REPLACE_EXISTING));
            }
            runInfo.put("epochs_completed", epoch.epoch());
            runInfo.put("best_val_loss", trainer.bestValidationLoss());
            writeRunJson();
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": writing the results of epoch " + epoch.epoch() + " failed: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void onTestEvaluated(Evaluation test) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("loss", test.loss());
        result.put("accuracy", test.accuracy());
        result.put("images", test.samples());
        runInfo.put("test", result);
        try {
            writeRunJson();
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": writing " + RUN_JSON + " failed: " + e.getMessage(), e);
        }
    }

    /** The rows of an existing {@code metrics.csv} before {@code firstEpoch}: a resumed run continues its table. */
    private List<EpochRow> earlierEpochs(int firstEpoch) {
        Path file = dir.resolve(METRICS);
        if (firstEpoch <= 1 || !Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file).stream().skip(1).filter(line -> !line.isBlank())
                    .map(line -> EpochRow.parse(line, file.toString()))
                    .filter(row -> row.epoch() < firstEpoch)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private void writeMetrics() throws IOException {
        StringBuilder csv = new StringBuilder(EpochRow.CSV_HEADER).append('\n');
        rows.forEach(row -> csv.append(row.toCsv()).append('\n'));
        writeString(dir.resolve(METRICS), csv.toString());
    }

    private void writeRunJson() throws IOException {
        writeString(dir.resolve(RUN_JSON), JsonWriter.write(runInfo));
    }

    private static void writeString(Path file, String text) throws IOException {
        replace(file, temp -> Files.writeString(temp, text, StandardCharsets.UTF_8));
    }

    private interface FileWriter {
        void write(Path temp) throws IOException;
    }

    /** Writes {@code file} through a temporary sibling and a rename, so readers see the old or the new file whole. */
    private static void replace(Path file, FileWriter writer) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        writer.write(temp);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
