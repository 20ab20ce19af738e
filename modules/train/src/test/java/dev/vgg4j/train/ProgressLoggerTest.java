package dev.vgg4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ProgressLoggerTest {
    private static final long SECOND = 1_000_000_000L;

    private final List<String> lines = new ArrayList<>();
    private final AtomicLong now = new AtomicLong();

    @Test
    void printsRunningMeansRateAndEtaEveryIntervalAndAtTheEpochsLastStep() {
        ProgressLogger progress = new ProgressLogger(lines::add, batches -> 2, now::get);
        progress.onTrainingStart(null, 1, 30);
        // batches of 4 images: summed losses 8, 4, 2 and 3, 2, 1 correct, one second each
        step(progress, 1 * SECOND, new StepResult(1, 30, 0, 3, 8.0, 3, 4, 1e-3));
        step(progress, 2 * SECOND, new StepResult(1, 30, 1, 3, 4.0, 2, 4, 1e-3));
        step(progress, 3 * SECOND, new StepResult(1, 30, 2, 3, 2.0, 1, 4, 1e-3));
        now.set(10 * SECOND);
        progress.onEpochEnd(epochOne(), null);
        // epoch 2 starts at 10 s; two steps take 0.8 s
        step(progress, 10_400_000_000L, new StepResult(2, 30, 0, 3, 1.0, 4, 4, 1e-4));
        step(progress, 10_800_000_000L, new StepResult(2, 30, 1, 3, 1.0, 4, 4, 1e-4));
        assertEquals(List.of(
                "  epoch 1/30 | batch 2/3 | loss 1.50000 | acc 0.625 | lr 1.0000e-03 | 4.0 images/s | ETA 0:00:01",
                "  epoch 1/30 | batch 3/3 | loss 1.16667 | acc 0.500 | lr 1.0000e-03 | 4.0 images/s | ETA 0:00:00",
                "  epoch 2/30 | batch 2/3 | loss 0.25000 | acc 1.000 | lr 1.0000e-04 | 10.0 images/s | ETA 0:00:00"),
                lines);
    }

    @Test
    void linesPerEpochSpreadsTheLinesOverTheEpochsBatches() {
        ProgressLogger progress = ProgressLogger.linesPerEpoch(lines::add, 10);
        IntStream.range(0, 35).forEach(b -> progress.onStep(new StepResult(1, 1, b, 35, 1.0, 1, 2, 1e-3)));
        // ceil(35 / 10) = a line every 4 batches, and one at the end
        assertEquals(List.of(4, 8, 12, 16, 20, 24, 28, 32, 35),
                lines.stream().map(l -> Integer.parseInt(l.replaceAll(".*batch (\\d+)/35.*", "$1"))).toList());
        assertThrows(IllegalArgumentException.class, () -> ProgressLogger.linesPerEpoch(lines::add, 0));
    }

    @Test
    void etaCountsHours() {
        ProgressLogger progress = new ProgressLogger(lines::add, batches -> 10, now::get);
        progress.onTrainingStart(null, 1, 1);
        for (int b = 0; b < 10; b++) {
            step(progress, (b + 1) * 100 * SECOND, new StepResult(1, 1, b, 100, 1.0, 1, 2, 1e-3));
        }
        // 10 batches in 1000 s, 90 to go: 9000 s
        assertEquals(List.of("  epoch 1/1 | batch 10/100 | loss 0.50000 | acc 0.500 | lr 1.0000e-03 | 0.0 images/s | ETA 2:30:00"),
                lines);
    }

    private void step(ProgressLogger progress, long nanos, StepResult step) {
        now.set(nanos);
        progress.onStep(step);
    }

    private static EpochResult epochOne() {
        Evaluation eval = Evaluation.of(14.0, 6, 12);
        return new EpochResult(1, 30, 10, eval, eval, 3, 0, 1e-3, Optional.empty());
    }
}
