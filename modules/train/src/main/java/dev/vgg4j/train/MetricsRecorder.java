package dev.vgg4j.train;

import dev.vgg4j.core.io.InputFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps every step's and epoch's result in memory, for plots, reports and tests; made with
 * {@link #writingCsv(Path)} it also keeps a {@code metrics.csv} current after every epoch, and a
 * resumed run continues the table the file already holds.
 */
public final class MetricsRecorder implements TrainingListener {
    /** About 100 bytes an epoch: room for 100,000 epochs. */
    private static final long MAX_CSV_BYTES = 16L << 20;
    private final Path csv;
    private final List<StepResult> steps = new ArrayList<>();
    private final List<EpochResult> epochs = new ArrayList<>();
    private final List<EpochRow> rows = new ArrayList<>();

    /** In memory only. */
    public MetricsRecorder() {
        this(null);
    }

    private MetricsRecorder(Path csv) {
        this.csv = csv;
    }

    /** Also rewrites {@code csv} (one {@link EpochRow} a line, under {@link EpochRow#CSV_HEADER}) after every epoch. */
    public static MetricsRecorder writingCsv(Path csv) {
        return new MetricsRecorder(csv);
    }

    @Override
    public void onTrainingStart(Trainer trainer, int firstEpoch, int epochs) {
        if (csv != null) {
            rows.addAll(earlierEpochs(firstEpoch));
        }
    }

    @Override
    public void onStep(StepResult step) {
        steps.add(step);
    }

    @Override
    public void onEpochEnd(EpochResult epoch, Trainer trainer) {
        epochs.add(epoch);
        rows.add(EpochRow.of(epoch));
        if (csv != null) {
            StringBuilder text = new StringBuilder(EpochRow.CSV_HEADER).append('\n');
            rows.forEach(row -> text.append(row.toCsv()).append('\n'));
            try {
                AtomicFiles.replace(csv, text.toString());
            } catch (IOException e) {
                throw RunOutputException.failed(csv + ": writing the metrics of epoch " + epoch.epoch(), e);
            }
        }
    }

    public List<StepResult> steps() {
        return List.copyOf(steps);
    }

    /** The epochs trained by this run. */
    public List<EpochResult> epochs() {
        return List.copyOf(epochs);
    }

    /** The rows of this run's epochs, after those the CSV file held before a resume. */
    public List<EpochRow> rows() {
        return List.copyOf(rows);
    }

    /** Mean loss per sample of each step, in order. */
    public double[] stepLosses() {
        return steps.stream().mapToDouble(StepResult::loss).toArray();
    }

    /** The rows of an existing CSV file before {@code firstEpoch}: a resumed run continues its table. */
    private List<EpochRow> earlierEpochs(int firstEpoch) {
        if (firstEpoch <= 1 || !Files.isRegularFile(csv)) {
            return List.of();
        }
        try {
            return InputFiles.readString(csv, MAX_CSV_BYTES, "a metrics.csv").lines().skip(1).filter(line -> !line.isBlank())
                    .map(line -> EpochRow.parse(line, csv.toString()))
                    .filter(row -> row.epoch() < firstEpoch)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(InputFiles.failure(csv, e).getMessage(), e);
        }
    }
}
