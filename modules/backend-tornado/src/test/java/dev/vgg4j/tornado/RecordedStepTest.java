package dev.vgg4j.tornado;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.model.VggConfig;
import dev.vgg4j.spi.Precision;
import dev.vgg4j.train.CrossEntropyLoss;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A captured training step recorded as one task graph and replayed gives bit for bit what the same
 * step gives launched op by op, and a replay is one execute() whatever the step's launches. The step
 * has every layer kind of a VGG with batch norm, dropout (a new seed each step) and Adam (a new
 * step count each step), so the per-step scalars must reach the replayed tasks.
 */
class RecordedStepTest {
    /** Two conv-BN-ReLU-pool blocks (8 and 16 channels) and the classifier (hidden 512, ReLU and dropout twice): small, as PoCL compiles every task of a recording. */
    private static final VggConfig TINY = VggConfig.custom(List.of(64, "M", 128, "M")).withWidth(1.0 / 8).withImageSize(8).withSeed(5);
    private static final int BATCH = 4;
    private static final int STEPS = 4;

    @BeforeAll
    static void tornadoPresent() {
        DeviceFixture.assumeTornado();
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void aRecordedStepEqualsTheStepLaunchedOpByOpAndReplaysInOneExecute(Precision precision) {
        try (TornadoBackend plain = DeviceFixture.backend(64, false, precision);
             TornadoBackend recording = DeviceFixture.backend(64, true, precision);
             TrainingStep opByOp = new TrainingStep(plain, TINY, BATCH, 3L);
             TrainingStep recorded = new TrainingStep(recording, TINY, BATCH, 3L)) {
            for (int s = 0; s < STEPS; s++) {
                long plainLaunches = plain.launches();
                CrossEntropyLoss.Result expected = opByOp.run();
                plainLaunches = plain.launches() - plainLaunches;
                long executes = recording.executes();
                long recordedLaunches = recording.launches();
                CrossEntropyLoss.Result got = recorded.run();
                recordedLaunches = recording.launches() - recordedLaunches;
                assertEquals(expected.summedLoss(), got.summedLoss(), 0.0, "summed loss of step " + s + ", bit for bit");
                assertEquals(expected.correct(), got.correct(), "correct count of step " + s);
                if (s >= 1) {
                    // Image bytes in, labels in, [loss, correct] out: one execute each; the step's kernels one
                    // execute per graph of the recording.
                    long kernels = recordedLaunches - 3;
                    assertTrue(kernels > RecordedStep.TASKS_PER_GRAPH, "the step spans more than one graph");
                    long graphs = (kernels + RecordedStep.TASKS_PER_GRAPH - 1) / RecordedStep.TASKS_PER_GRAPH;
                    assertEquals(3 + graphs, recording.executes() - executes, "executes of recorded step " + s);
                }
                assertEquals(plainLaunches, recordedLaunches, "kernels run by step " + s + ", recorded or not");
            }
            float[][] want = opByOp.parameterValues();
            float[][] have = recorded.parameterValues();
            for (int p = 0; p < want.length; p++) {
                assertArrayEquals(want[p], have[p], "parameter " + p + " after " + STEPS + " steps, bit for bit");
            }
        }
    }
}
