package dev.vgg4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.data.DataLoader;
import dev.vgg4j.model.Checkpoints;
import dev.vgg4j.model.Model;
import dev.vgg4j.model.Models;
import dev.vgg4j.model.VggConfig;
import dev.vgg4j.model.io.TensorEntry;
import dev.vgg4j.spi.AdamParams;
import dev.vgg4j.spi.Backend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer and checkpoints know {@link Model} only: a second model (the test {@link Mlp}) trains, saves and loads. */
class ModelSeamTest {
    @TempDir
    Path dir;

    private final Backend backend = TestBackends.reference();

    @AfterEach
    void tearDown() {
        backend.close();
    }

    @Test
    void modelsAreFoundByNameAndVggComesFirst() {
        assertEquals("vgg", Models.families().getFirst().name());
        assertInstanceOf(VggConfig.class, Models.named("vgg11_bn"));
        assertInstanceOf(MlpConfig.class, Models.named("mlp"));
        assertTrue(Models.names().contains("vgg16_bn") && Models.names().contains("mlp"), Models.names().toString());
    }

    @Test
    void theTrainerFitsASecondModelAndItsCheckpointRebuildsIt() throws IOException {
        Path file = dir.resolve("mlp.safetensors");
        try (DataLoader train = TinyTask.trainLoader(7);
                DataLoader val = TinyTask.evalLoader("tiny-val", 40, 2);
                Model model = Models.named("mlp").withSeed(3).create(backend);
                Adam adam = new Adam(backend, model.parameters(), AdamParams.adam(1e-2f));
                Trainer trainer = Trainer.builder(model, adam).trainLoader(train).validationLoader(val).epochs(3)
                        .build()) {
            TrainingResult result = trainer.fit();
            assertTrue(result.epochs().getLast().validation().accuracy() >= 0.9, result.epochs().getLast().toString());
            trainer.saveCheckpoint(file);
            try (Model loaded = Checkpoints.load(backend, file)) {
                assertEquals(model.config(), loaded.config());
                assertEquals(model.dropoutSeeds().state(), loaded.dropoutSeeds().state());
                Map<String, TensorEntry> expected = model.stateDict();
                assertEquals(expected.keySet(), loaded.stateDict().keySet());
                expected.forEach((k, e) -> assertArrayEquals(e.floats(), loaded.stateDict().get(k).floats(), k));
            }
        }
    }
}
