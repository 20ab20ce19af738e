package dev.vgg4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import dev.vgg4j.data.DataLoader;
import dev.vgg4j.model.Buffer;
import dev.vgg4j.model.TensorBuffer;
import dev.vgg4j.model.Vgg;
import dev.vgg4j.model.io.SafeTensors;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    @TempDir
    Path dir;

    private Backend backend;
    private DataLoader val;
    private DataLoader test;

    @BeforeEach
    void setUp() {
        backend = TestBackends.reference();
        val = TinyTask.evalLoader("tiny-val", 40, 2);
        test = TinyTask.evalLoader("tiny-test", 40, 3);
    }

    @AfterEach
    void tearDown() {
        val.close();
        test.close();
        backend.close();
    }

    @Test
    void fitLearnsTheTaskAndLogsTheRecipesLines() {
        List<String> lines = new ArrayList<>();
        MetricsRecorder metrics = new MetricsRecorder();
        try (DataLoader train = TinyTask.trainLoader(7); Vgg model = TinyTask.model(backend)) {
            Adam adam = TinyTask.adam(backend, model);
            try (Trainer trainer = Trainer.builder(model, adam).trainLoader(train).validationLoader(val)
                    .testLoader(test).epochs(3)
                    .listener(new ConsoleLogger(lines::add))
                    .listener(metrics).build()) {
                TrainingResult result = trainer.fit();
                assertEquals(3, result.epochs().size());
                assertTrue(result.test().orElseThrow().accuracy() >= 0.9, "test " + result.test());
                assertEquals(40, result.test().orElseThrow().samples());
            }
            adam.close();
        }
        assertEquals(3 * 6, metrics.steps().size(), "96 images / 16 = 6 steps per epoch");
        double[] losses = metrics.stepLosses();
        double first = Arrays.stream(losses, 0, 3).average().orElseThrow();
        double last = Arrays.stream(losses, losses.length - 3, losses.length).average().orElseThrow();
        assertTrue(last < first, "loss falls: " + Arrays.toString(losses));
        assertEquals(4, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).matches("Epoch:  1/3 \\| Epoch Duration: \\d+\\.\\d{3} sec \\| Val Loss: \\d\\.\\d{5} \\|"
                + " Val Acc: \\d\\.\\d{3} \\| Train Loss: \\d\\.\\d{5} \\| Train Acc: \\d\\.\\d{3} \\| Images/s: \\d+\\.\\d \\|"),
                lines.get(0));
        assertTrue(lines.get(3).startsWith("Test Loss: "), lines.get(3));
    }

    @Test
    void resumedRunRepeatsTheUninterruptedOneExactly() throws IOException {
        ResumeScenario.assertResumeRepeatsUninterruptedRun(backend, val, dir);
    }

    @Test
    void aRunResumedFromInsideAnEpochRepeatsTheUninterruptedOneExactly() throws IOException {
        ResumeScenario.assertInterruptedResumeRepeatsUninterruptedRun(backend, val, dir);
    }

    @Test
    void nanLossStopsTheRunAndKeepsTheLastGoodCheckpoint() throws IOException {
        TrainingListener explodeAfterFirstEpoch = new TrainingListener() {
            @Override
            public void onEpochEnd(EpochResult epoch, Trainer trainer) {
                trainer.optimizer().setLearningRate(1e30);
            }
        };
        CheckpointWriter checkpoints = new CheckpointWriter(dir.resolve("run"), "ckpt-last.safetensors",
                "ckpt-best.safetensors");
        try (DataLoader train = TinyTask.trainLoader(7); Vgg model = TinyTask.model(backend);
             Adam adam = TinyTask.adam(backend, model);
             Trainer trainer = Trainer.builder(model, adam).trainLoader(train).validationLoader(val).epochs(3)
                     .listener(checkpoints).listener(explodeAfterFirstEpoch).build()) {
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, trainer::fit);
            assertTrue(e.getMessage().contains("at epoch 2/3")
                    && e.getMessage().contains("last good checkpoint is " + checkpoints.lastFile() + " (epoch 1)"),
                    e.getMessage());
        }
        assertEquals(dir.resolve("run/ckpt-last.safetensors"), checkpoints.lastFile());
        assertEquals("1", SafeTensors.read(checkpoints.lastFile()).metadata().get(TrainingCheckpoint.EPOCHS_COMPLETED));
        assertArrayEquals(Files.readAllBytes(checkpoints.lastFile()), Files.readAllBytes(dir.resolve("run/ckpt-best.safetensors")),
                "epoch 1 is the best so far: the best checkpoint is a copy of the last");
    }

    @Test
    void aNanValidationLossStopsTheRunBeforeTheEpochReachesACheckpoint() throws IOException {
        // NaN running means leave training (batch statistics) finite and make every validation loss NaN,
        // as an SGD run at lr 0.1 does.
        TrainingListener poisonRunningMeans = new TrainingListener() {
            @Override
            public void onEpochEnd(EpochResult epoch, Trainer trainer) {
                for (Buffer b : trainer.model().buffers()) {
                    if (b instanceof TensorBuffer t && t.name().endsWith("running_mean")) {
                        float[] nan = new float[t.value().shape().size()];
                        Arrays.fill(nan, Float.NaN);
                        backend.upload(nan, t.value());
                    }
                }
            }
        };
        TrainingDivergedException e = assertStopsAfterEpochOne(poisonRunningMeans);
        assertTrue(e.getMessage().contains("the validation loss is NaN after epoch 2/3"), e.getMessage());
    }

    @Test
    void anExplodingButFiniteLossStopsTheRun() throws IOException {
        TrainingListener scaleTheLastWeightsBy1e6 = new TrainingListener() {
            @Override
            public void onEpochEnd(EpochResult epoch, Trainer trainer) {
                Tensor weights = trainer.model().parameters().get(trainer.model().parameters().size() - 2).value();
                float[] values = backend.download(weights);
                for (int i = 0; i < values.length; i++) {
                    values[i] *= 1e6f;
                }
                backend.upload(values, weights);
            }
        };
        TrainingDivergedException e = assertStopsAfterEpochOne(scaleTheLastWeightsBy1e6);
        assertTrue(e.getMessage().contains("loss") && e.getMessage().contains("is more than 100 times the first batch's")
                && e.getMessage().contains("after epoch 2/3"), e.getMessage());
    }

    /** Trains until {@code breakAfterEpoch} spoils the model after epoch 1; epoch 2 must stop the run unsaved. */
    private TrainingDivergedException assertStopsAfterEpochOne(TrainingListener breakAfterEpoch) throws IOException {
        CheckpointWriter checkpoints = new CheckpointWriter(dir.resolve("run"), "ckpt-last.safetensors",
                "ckpt-best.safetensors");
        MetricsRecorder metrics = new MetricsRecorder();
        TrainingDivergedException e;
        try (DataLoader train = TinyTask.trainLoader(7); Vgg model = TinyTask.model(backend);
             Adam adam = TinyTask.adam(backend, model);
             Trainer trainer = Trainer.builder(model, adam).trainLoader(train).validationLoader(val).epochs(3)
                     .listener(checkpoints).listener(metrics).listener(breakAfterEpoch).build()) {
            e = assertThrows(TrainingDivergedException.class, trainer::fit);
        }
        assertTrue(e.getMessage().contains("last good checkpoint is " + checkpoints.lastFile() + " (epoch 1)"),
                e.getMessage());
        assertEquals(List.of(1), metrics.epochs().stream().map(EpochResult::epoch).toList(), "epoch 2 reached no listener");
        assertEquals("1", SafeTensors.read(checkpoints.lastFile()).metadata().get(TrainingCheckpoint.EPOCHS_COMPLETED));
        assertArrayEquals(Files.readAllBytes(checkpoints.lastFile()), Files.readAllBytes(checkpoints.bestFile()),
                "the best checkpoint is still epoch 1's");
        return e;
    }

    @Test
    void resumingWithAnotherDataSeedIsRefused() throws IOException {
        ResumeScenario.run(backend, val, 1, null, new MetricsRecorder(), dir);
        try (DataLoader train = TinyTask.trainLoader(8); Vgg model = TinyTask.model(backend);
             Adam adam = TinyTask.adam(backend, model);
             Trainer trainer = Trainer.builder(model, adam).trainLoader(train).validationLoader(val).epochs(2).build()) {
            IOException e = assertThrows(IOException.class, () -> trainer.resume(dir.resolve(CheckpointWriter.LAST)));
            assertTrue(e.getMessage().contains("data seed 7") && e.getMessage().contains("uses 8"), e.getMessage());
        }
    }
}
