package dev.vgg4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressLoggerTest {

    @Test
    void printsRunningMeansEveryIntervalAndAtTheEpochsLastStep() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLogger progress = new ProgressLogger(new PrintStream(bytes, true, StandardCharsets.UTF_8), 2);
        // batches of 4 images: summed losses 8, 4, 2 and 3, 2, 1 correct
        progress.onStep(new StepResult(1, 30, 0, 3, 8.0, 3, 4, 1e-3));
        progress.onStep(new StepResult(1, 30, 1, 3, 4.0, 2, 4, 1e-3));
        progress.onStep(new StepResult(1, 30, 2, 3, 2.0, 1, 4, 1e-3));
        progress.onStep(new StepResult(2, 30, 0, 3, 1.0, 4, 4, 1e-4));
        progress.onStep(new StepResult(2, 30, 1, 3, 1.0, 4, 4, 1e-4));
        assertEquals(List.of(
                "  epoch 1/30 | batch 2/3 | loss 1.50000 | acc 0.625 | lr 1.0000e-03",
                "  epoch 1/30 | batch 3/3 | loss 1.16667 | acc 0.500 | lr 1.0000e-03",
                "  epoch 2/30 | batch 2/3 | loss 0.25000 | acc 1.000 | lr 1.0000e-04"),
                bytes.toString(StandardCharsets.UTF_8).lines().toList());
    }
}
