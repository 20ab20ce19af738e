package dev.vgg4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.core.Shape;
import dev.vgg4j.model.io.CheckpointException;
import dev.vgg4j.model.io.DType;
import dev.vgg4j.model.io.SafeTensors;
import dev.vgg4j.model.io.SafeTensorsFile;
import dev.vgg4j.model.io.TensorEntry;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model's checkpoint: torchvision's keys, exact restore, extras for the trainer, and clear refusals. */
class CheckpointTest {
    private static final VggConfig TINY = VggConfig.named("vgg16_bn").withWidth(1.0 / 32).withSeed(11);
    private static final Shape BATCH = Shape.nchw(2, 3, 32, 32);

    @TempDir
    Path dir;

    private final Backend backend = ReferenceBackend.create();

    @AfterEach
    void close() {
        backend.close();
    }

    /** One forward and backward in training mode, so running stats, counters and dropout seeds move. */
    private void step(Vgg vgg, Tensor images) {
        try (Tensor grad = backend.allocate(Shape.matrix(2, 10), 0.1f)) {
            vgg.forward(images);
            vgg.backward(grad);
        }
    }

    @Test
    void stateDictHasTorchvisionKeysInTorchvisionOrder() {
        try (Vgg vgg = Vgg.create(backend, TINY)) {
            Map<String, TensorEntry> dict = vgg.stateDict();
            assertEquals(List.of("features.0.weight", "features.0.bias", "features.1.weight", "features.1.bias",
                    "features.1.running_mean", "features.1.running_var", "features.1.num_batches_tracked",
                    "features.3.weight"), dict.keySet().stream().limit(8).toList());
            // torchvision vgg16_bn: 13 convs x 2 + 13 BNs x 5 + 3 Linears x 2.
            assertEquals(13 * 2 + 13 * 5 + 3 * 2, dict.size());
            assertEquals(List.of("classifier.0.weight", "classifier.0.bias", "classifier.3.weight", "classifier.3.bias",
                    "classifier.6.weight", "classifier.6.bias"), dict.keySet().stream().skip(dict.size() - 6).toList());
            TensorEntry counter = dict.get("features.1.num_batches_tracked");
            assertEquals(DType.I64, counter.dtype());
            assertArrayEquals(new int[0], counter.shape());
        }
    }

    @Test
    void aLoadedModelContinuesExactlyWhereTheSavedOneWas() throws IOException {
        Path file = dir.resolve("ckpt.safetensors");
        try (Vgg vgg = Vgg.create(backend, TINY);
                Tensor images = backend.upload(GradientCheck.uniform(BATCH.size(), 5L, 1f), BATCH)) {
            step(vgg, images);
            Checkpoints.save(vgg, file);
            try (Model loaded = Checkpoints.load(backend, file)) {
                assertEquals(TINY, loaded.config());
                assertEquals(vgg.dropoutSeeds().state(), loaded.dropoutSeeds().state());
                Map<String, TensorEntry> expected = vgg.stateDict();
                Map<String, TensorEntry> actual = loaded.stateDict();
                assertEquals(expected.keySet(), actual.keySet());
                for (String key : expected.keySet()) {
                    if (expected.get(key).dtype() == DType.F32) {
                        assertArrayEquals(expected.get(key).floats(), actual.get(key).floats(), key);
                    } else {
                        assertArrayEquals(expected.get(key).longs(), actual.get(key).longs(), key);
                    }
                }
                // The next training forward (fresh dropout masks, batch statistics) is identical.
                float[] original = backend.download(vgg.forward(images));
                assertArrayEquals(original, backend.download(loaded.forward(images)));
            }
        }
    }

    @Test
    void extraTensorsAndMetadataTravelInTheSameFile() throws IOException {
        Path file = dir.resolve("ckpt.safetensors");
        TensorEntry adamM = TensorEntry.f32("optimizer.m.features.0.weight", new int[] {2}, new float[] {0.25f, -1f});
        try (Vgg vgg = Vgg.create(backend, TINY)) {
            Checkpoints.save(vgg, file, List.of(adamM), Map.of("trainer.state", "{\"epoch\":4}"));
            SafeTensorsFile f = SafeTensors.read(file);
            assertArrayEquals(adamM.floats(), f.tensor("optimizer.m.features.0.weight").floats());
            assertEquals("{\"epoch\":4}", f.metadata("trainer.state"));
            Checkpoints.restore(vgg, f);
            assertThrows(IllegalArgumentException.class,
                    () -> Checkpoints.save(vgg, file, List.of(), Map.of(Checkpoints.DROPOUT_STATE_KEY, "1")));
        }
    }

    private static String failure(Path file, ThrowingRunnable r) {
        CheckpointException e = assertThrows(CheckpointException.class, r::run);
        assertTrue(e.getMessage().startsWith(file.toString()), "the message names the file: " + e.getMessage());
        return e.getMessage();
    }

    private interface ThrowingRunnable {
        void run() throws IOException;
    }

    @Test
    void aCheckpointOfAnotherModelIsRefusedWithWhatWasExpected() throws IOException {
        Path file = dir.resolve("vgg11.safetensors");
        try (Vgg vgg11 = Vgg.create(backend, VggConfig.named("vgg11_bn").withWidth(1.0 / 32));
                Vgg vgg16 = Vgg.create(backend, TINY)) {
            Checkpoints.save(vgg11, file);
            String message = failure(file, () -> Checkpoints.restore(vgg16, SafeTensors.read(file)));
            assertTrue(message.contains("holds vgg11_bn") && message.contains("expected vgg16_bn"), message);

            // Without vgg4j's config (a file from elsewhere), keys and shapes still catch it.
            SafeTensors.write(file, vgg11.stateDict().values(), Map.of());
            message = failure(file, () -> Checkpoints.restore(vgg16, SafeTensors.read(file)));
            assertTrue(message.contains("another model"), message);
        }
    }

    @Test
    void aShapeMismatchNamesTheKeyAndTheExpectedShape() throws IOException {
        Path file = dir.resolve("wide.safetensors");
        try (Vgg wide = Vgg.create(backend, TINY.withWidth(1.0 / 16)); Vgg narrow = Vgg.create(backend, TINY)) {
            SafeTensors.write(file, wide.stateDict().values(), Map.of());
            String message = failure(file, () -> Checkpoints.restore(narrow, SafeTensors.read(file)));
            assertTrue(message.contains("features.0.weight") && message.contains("has shape [") && message.contains("expected [2, 3, 3, 3]"), message);
        }
    }

    @Test
    void aMissingConfigIsAClearErrorForLoad() throws IOException {
        Path file = dir.resolve("bare.safetensors");
        SafeTensors.write(file, List.of(TensorEntry.f32("x", new int[] {1}, new float[] {1f})), Map.of());
        String message = failure(file, () -> Checkpoints.load(backend, file));
        assertTrue(message.contains("not a vgg4j model checkpoint"), message);
    }
}
