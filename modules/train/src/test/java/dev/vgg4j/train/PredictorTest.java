package dev.vgg4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vgg4j.data.Batch;
import dev.vgg4j.data.DataLoader;
import dev.vgg4j.data.Dataset;
import dev.vgg4j.data.transform.ImageSize;
import dev.vgg4j.model.Checkpoints;
import dev.vgg4j.model.Model;
import dev.vgg4j.model.Pretrained;
import dev.vgg4j.model.Vgg;
import dev.vgg4j.spi.Backend;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Probabilities in evaluation mode, from raw pixels or a batch, from a model or a checkpoint. */
class PredictorTest {
    @TempDir
    Path dir;

    private final Backend backend = TestBackends.reference();

    @AfterEach
    void tearDown() {
        backend.close();
    }

    @Test
    void probabilitiesAreTheEvalSoftmaxForPixelsAndBatchesAlike() {
        Dataset data = TinyTask.dataset("tiny", 4, 9);
        try (Vgg model = TinyTask.model(backend); Predictor predictor = Predictor.of(model);
                DataLoader loader = new DataLoader(data, predictor.pipeline(data.imageSize()),
                        DataLoader.Options.evaluation(4));
                DataLoader.Epoch epoch = loader.epoch(0)) {
            assertFalse(model.isTraining(), "batch norm uses its running statistics, dropout is off");
            Batch batch = epoch.next();
            double[][] rows = predictor.probabilities(batch);
            assertArrayEquals(rows[2], predictor.probabilities(batch)[2], "deterministic: no dropout");
            for (int i = 0; i < 4; i++) {
                assertEquals(1.0, rows[i][0] + rows[i][1], 1e-12);
                byte[] pixels = new byte[data.imageBytes()];
                data.copyImage(i, pixels, 0);
                assertArrayEquals(rows[i], predictor.probabilities(pixels, data.imageSize()), 1e-12);
            }
            float[] logits = predictor.logits(batch.images(), 4);
            assertEquals(rows[1][1] / rows[1][0], Math.exp((double) logits[3] - logits[2]), 1e-9);
            assertThrows(IllegalArgumentException.class, () -> predictor.pipeline(new ImageSize(3, 8, 8)));
        }
    }

    @Test
    void aLoadedCheckpointPredictsAsTheModelThatWroteIt() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Dataset data = TinyTask.dataset("tiny", 1, 4);
        byte[] pixels = new byte[data.imageBytes()];
        data.copyImage(0, pixels, 0);
        try (Vgg model = TinyTask.model(backend); Predictor original = Predictor.of(model)) {
            Checkpoints.save(model, file);
            try (Predictor loaded = Predictor.load(Pretrained.read(file, null), backend)) {
                Model m = loaded.model();
                assertEquals(model.config(), m.config());
                assertArrayEquals(original.probabilities(pixels, data.imageSize()),
                        loaded.probabilities(pixels, data.imageSize()));
            }
        }
    }
}
