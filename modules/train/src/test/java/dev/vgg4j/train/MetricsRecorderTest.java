package dev.vgg4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsRecorderTest {
    @TempDir
    Path dir;

    @Test
    void rowsSurviveTheCsvRoundTrip() {
        EpochRow row = new EpochRow(7, 0.5, 0.8, 0.6, 0.75, 1e-4, 25.635, 1800.5);

        assertEquals(row, EpochRow.parse(row.toCsv(), "metrics.csv"));
    }

    @Test
    void csvIsKeptCurrentAndAResumedRunContinuesItsTable() throws IOException {
        Path csv = dir.resolve("metrics.csv");
        MetricsRecorder first = MetricsRecorder.writingCsv(csv);
        first.onTrainingStart(null, 1, 3);
        first.onEpochEnd(epoch(1, 2.0), null);
        first.onEpochEnd(epoch(2, 1.0), null);
        assertEquals(List.of(EpochRow.CSV_HEADER, EpochRow.of(epoch(1, 2.0)).toCsv(), EpochRow.of(epoch(2, 1.0)).toCsv()),
                Files.readAllLines(csv));

        // resumed after epoch 1: the file's epoch 2 is trained again and replaced
        MetricsRecorder resumed = MetricsRecorder.writingCsv(csv);
        resumed.onTrainingStart(null, 2, 3);
        resumed.onEpochEnd(epoch(2, 0.5), null);

        assertEquals(List.of(1, 2), resumed.rows().stream().map(EpochRow::epoch).toList());
        assertEquals(0.5, resumed.rows().getLast().valLoss());
        assertEquals(1, resumed.epochs().size(), "epochs() holds only what this run trained");
        assertEquals(resumed.rows().stream().map(EpochRow::toCsv).toList(), Files.readAllLines(csv).subList(1, 3));
    }

    @Test
    void aHugeCsvIsRefusedFromItsSizeBeforeItIsRead() throws IOException {
        Path csv = dir.resolve("metrics.csv");
        try (RandomAccessFile sparse = new RandomAccessFile(csv.toFile(), "rw")) {
            sparse.setLength(3L << 30); // sparse: costs no disk
        }
        MetricsRecorder resumed = MetricsRecorder.writingCsv(csv);

        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> resumed.onTrainingStart(null, 2, 3));

        assertEquals(csv + ": 3221225472 bytes, more than the 16777216 bytes a metrics.csv can have", e.getMessage());
    }

    @Test
    void aFailedWriteSaysWhyAndLeavesNoTemporaryFile() throws IOException {
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.writeString(run.resolve("metrics.csv.tmp"), "");
        Files.createDirectories(run.resolve("metrics.csv"));  // a folder where the file must go: the rename fails
        MetricsRecorder metrics = MetricsRecorder.writingCsv(run.resolve("metrics.csv"));
        metrics.onTrainingStart(null, 1, 3);

        RunOutputException e = assertThrows(RunOutputException.class, () -> metrics.onEpochEnd(epoch(1, 2.0), null));

        assertTrue(e.getMessage().startsWith(run.resolve("metrics.csv") + ": writing the metrics of epoch 1 failed: "),
                e.getMessage());
        assertFalse(e.getMessage().endsWith("failed: " + run.resolve("metrics.csv")), "says why, not only the path");
        assertFalse(Files.exists(run.resolve("metrics.csv.tmp")), "the temporary file is removed");
    }

    private static EpochResult epoch(int n, double valLoss) {
        return new EpochResult(n, 3, 4.0, Evaluation.of(valLoss * 10, 7, 10), Evaluation.of(20.0, 60, 100), 2.0, 0.1,
                1e-3, Optional.empty());
    }
}
