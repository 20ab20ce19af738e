package dev.vgg4j.cli;

import dev.vgg4j.train.AtomicFiles;
import dev.vgg4j.train.CheckpointWriter;
import dev.vgg4j.train.EpochResult;
import dev.vgg4j.train.Evaluation;
import dev.vgg4j.train.MetricsRecorder;
import dev.vgg4j.train.RunOutputException;
import dev.vgg4j.train.Trainer;
import dev.vgg4j.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The run folder, kept current after every epoch: {@code metrics.csv}, {@code curves.png},
 * {@code checkpoint-last.safetensors} (the full training state: resume from it),
 * {@code checkpoint-best.safetensors} (a copy of the last one from the epoch with the lowest
 * validation loss) and {@code run.json} (configuration, environment, results). Every file is
 * replaced whole (written aside, then renamed), so an interrupted run never leaves half a file.
 * The metrics and checkpoints are the trainer's own listeners, under the names issue 6 asks for.
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
    private final MetricsRecorder metrics;
    private final CheckpointWriter checkpoints;

    /**
     * Creates {@code dir}; {@code run.json} is written from {@code runInfo} once training starts (so a
     * resume that fails leaves the earlier run's files alone) and completed as training goes.
     */
    RunFolder(Path dir, String chartTitle, Map<String, Object> runInfo) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.chartTitle = chartTitle;
        this.runInfo = new LinkedHashMap<>(runInfo);
        this.metrics = MetricsRecorder.writingCsv(dir.resolve(METRICS));
        this.checkpoints = new CheckpointWriter(dir, LAST, BEST);
    }

    Path dir() {
        return dir;
    }

    @Override
    public void onTrainingStart(Trainer trainer, int firstEpoch, int epochs) {
        metrics.onTrainingStart(trainer, firstEpoch, epochs);
        runInfo.put("first_epoch", firstEpoch);
        writeRunJson();
    }

    @Override
    public void onEpochEnd(EpochResult epoch, Trainer trainer) {
        metrics.onEpochEnd(epoch, trainer);
        try {
            CurvesChart.write(metrics.rows(), chartTitle, dir.resolve(CURVES));
        } catch (IOException e) {
            throw RunOutputException.failed(dir + ": drawing " + CURVES + " after epoch " + epoch.epoch(), e);
        }
        checkpoints.onEpochEnd(epoch, trainer);
        runInfo.put("epochs_completed", epoch.epoch());
        runInfo.put("best_val_loss", trainer.bestValidationLoss());
        writeRunJson();
    }

    @Override
    public void onTestEvaluated(Evaluation test) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("loss", test.loss());
        result.put("accuracy", test.accuracy());
        result.put("images", test.samples());
        runInfo.put("test", result);
        writeRunJson();
    }

    private void writeRunJson() {
        try {
            AtomicFiles.replace(dir.resolve(RUN_JSON), JsonWriter.write(runInfo));
        } catch (IOException e) {
            throw RunOutputException.failed(dir + ": writing " + RUN_JSON, e);
        }
    }
}
