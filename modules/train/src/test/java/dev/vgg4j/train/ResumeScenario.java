package dev.vgg4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vgg4j.data.DataLoader;
import dev.vgg4j.model.Vgg;
import dev.vgg4j.spi.Backend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Trains {@link TinyTask} for 3 epochs straight, then 1 epoch, a checkpoint, and a fresh trainer
 * resumed from it for epochs 2 and 3, and checks that the two runs are identical: every step's
 * loss, the validation results and the final weights. Adam and a patience-0 plateau schedule make
 * every kind of state matter (weights, BN statistics, moments, step count, learning rate,
 * scheduler counters, dropout seeds, loader epoch). It needs a bit-reproducible backend: the
 * reference one is, and so is the cpu backend for a fixed thread count.
 */
final class ResumeScenario {
    private ResumeScenario() {}

    static void assertResumeRepeatsUninterruptedRun(Backend backend, DataLoader val, Path dir) throws IOException {
        MetricsRecorder straight = new MetricsRecorder();
        float[] straightWeights = run(backend, val, 3, null, straight, null);

        run(backend, val, 1, null, new MetricsRecorder(), dir);
        MetricsRecorder resumed = new MetricsRecorder();
        float[] resumedWeights = run(backend, val, 3, dir.resolve(CheckpointWriter.LAST), resumed, null);

        assertEquals(12, resumed.steps().size(), "the resumed run trains epochs 2 and 3");
        double[] expected = Arrays.copyOfRange(straight.stepLosses(), 6, 18);
        assertArrayEquals(expected, resumed.stepLosses(), 0.0, backend.name() + ": losses after the resume");
        assertEquals(straight.epochs().get(2).validation(), resumed.epochs().get(1).validation());
        assertArrayEquals(straightWeights, resumedWeights, 0f);
    }

    /**
     * Ctrl-C as the CLI handles it, simulated: after batch 3 of 6 of epoch 2 a listener saves a
     * checkpoint and the run ends. The run resumed from it trains batches 4 to 6 of epoch 2, then
     * epoch 3, and must equal the uninterrupted run: every step's loss, epoch 2's training and
     * validation results (so the epoch's totals carry across the interruption) and the final weights.
     */
    static void assertInterruptedResumeRepeatsUninterruptedRun(Backend backend, DataLoader val, Path dir)
            throws IOException {
        MetricsRecorder straight = new MetricsRecorder();
        float[] straightWeights = run(backend, val, 3, null, straight, null);

        Path interrupted = dir.resolve("checkpoint-interrupted.safetensors");
        TrainingListener ctrlC = new TrainingListener() {
            private Trainer trainer;

            @Override
            public void onTrainingStart(Trainer t, int firstEpoch, int epochs) {
                trainer = t;
            }

            @Override
            public void onStep(StepResult step) {
                if (step.epoch() == 2 && step.batch() == 2) {
                    try {
                        trainer.saveCheckpoint(interrupted);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    throw new ProcessExit();
                }
            }
        };
        assertThrows(ProcessExit.class, () -> run(backend, val, 3, null, new MetricsRecorder(), null, ctrlC));
        MetricsRecorder resumed = new MetricsRecorder();
        float[] resumedWeights = run(backend, val, 3, interrupted, resumed, null);

        assertEquals(3 + 6, resumed.steps().size(), "the resumed run trains batches 4-6 of epoch 2 and epoch 3");
        assertEquals(3, resumed.steps().getFirst().batch(), "it starts at the batch after the interruption");
        double[] expected = Arrays.copyOfRange(straight.stepLosses(), 6 + 3, 18);
        assertArrayEquals(expected, resumed.stepLosses(), 0.0, backend.name() + ": losses after the resume");
        for (int epoch = 2; epoch <= 3; epoch++) {
            EpochResult a = straight.epochs().get(epoch - 1);
            EpochResult b = resumed.epochs().get(epoch - 2);
            assertEquals(a.train(), b.train(), "epoch " + epoch + " training totals");
            assertEquals(a.validation(), b.validation(), "epoch " + epoch + " validation");
        }
        assertArrayEquals(straightWeights, resumedWeights, 0f);
    }

    /** The process ending at Ctrl-C, after the checkpoint was written. */
    private static final class ProcessExit extends RuntimeException {}

    /** Trains a fresh model for {@code epochs}, resuming from {@code checkpoint} when not null; returns the last weight tensor. */
    static float[] run(Backend backend, DataLoader val, int epochs, Path checkpoint, MetricsRecorder metrics,
                       Path checkpointDir, TrainingListener... more) throws IOException {
        try (DataLoader train = TinyTask.trainLoader(7); Vgg model = TinyTask.model(backend);
             Adam adam = TinyTask.adam(backend, model)) {
            Trainer.Builder builder = Trainer.builder(model, adam).trainLoader(train).validationLoader(val)
                    .scheduler(new ReduceLROnPlateau(adam, ReduceLROnPlateau.Options.recipe().withPatience(0)))
                    .epochs(epochs).listener(metrics);
            if (checkpointDir != null) {
                builder.listener(new CheckpointWriter(checkpointDir));
            }
            for (TrainingListener listener : more) {
                builder.listener(listener);
            }
            try (Trainer trainer = builder.build()) {
                if (checkpoint != null) {
                    trainer.resume(checkpoint);
                }
                trainer.fit();
            }
            return backend.download(model.parameters().getLast().value());
        }
    }
}
