package dev.vgg4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.core.Shape;
import dev.vgg4j.model.io.CheckpointException;
import dev.vgg4j.model.io.DType;
import dev.vgg4j.model.io.SafeTensors;
import dev.vgg4j.model.io.TensorEntry;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Plain PyTorch state dicts in: the architecture read from keys and shapes, every float dtype, prefixes, clear refusals. */
class TorchvisionImportTest {
    /** vgg11_bn at width 1/16 (channels 4 ... 32), hidden 24, 5 classes, 3x40x40. */
    private static final VggConfig SMALL = VggConfig.named("vgg11_bn").withWidth(1.0 / 16).withHidden(24)
            .withImageSize(40).withNumClasses(5).withSeed(3);

    @TempDir
    Path dir;

    private final Backend backend = ReferenceBackend.create();

    @AfterEach
    void close() {
        backend.close();
    }

    /** The model's state dict as PyTorch would save it: floats as {@code dtype}, optional key prefix, no metadata. */
    private Path plainFile(Model model, DType dtype, String prefix) throws IOException {
        List<TensorEntry> tensors = new ArrayList<>();
        for (TensorEntry e : model.stateDict().values()) {
            String key = prefix + e.name();
            tensors.add(e.dtype().isFloat() ? TensorEntry.floats(key, dtype, e.shape(), e.floats()) : e.renamed(key));
        }
        Path file = dir.resolve("plain-" + dtype + ".safetensors");
        SafeTensors.write(file, tensors, Map.of());
        return file;
    }

    /** What a value becomes when stored as {@code dtype} and read back. */
    private static float[] rounded(float[] values, DType dtype) {
        return TensorEntry.floats("x", dtype, new int[] {values.length}, values).floats();
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F16", "BF16", "F64"})
    void everyFloatDtypeRoundTripsThroughAPlainFile(DType dtype) throws IOException {
        for (ClassifierLayout layout : ClassifierLayout.values()) {
            VggConfig config = SMALL.withClassifier(layout);
            try (Vgg vgg = config.create(backend)) {
                Path file = plainFile(vgg, dtype, "");
                try (Vgg loaded = TorchvisionImport.load(backend, SafeTensors.read(file), 40, 40)) {
                    assertEquals(config.withSeed(0), loaded.config(), "name, width, BN, sizes and layout from the keys");
                    Map<String, TensorEntry> expected = vgg.stateDict();
                    Map<String, TensorEntry> actual = loaded.stateDict();
                    assertEquals(expected.keySet(), actual.keySet());
                    for (String key : expected.keySet()) {
                        if (expected.get(key).dtype().isFloat()) {
                            assertArrayEquals(rounded(expected.get(key).floats(), dtype), actual.get(key).floats(), key);
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F16", "BF16", "F64"})
    void exportedCheckpointsReloadInEveryFloatDtype(DType dtype) throws IOException {
        Path file = dir.resolve("export.safetensors");
        try (Vgg vgg = SMALL.withClassifier(ClassifierLayout.TORCHVISION).create(backend)) {
            Checkpoints.export(vgg, file, dtype);
            assertTrue(SafeTensors.read(file).tensors().values().stream()
                    .allMatch(t -> t.dtype() == dtype || t.name().endsWith("num_batches_tracked")));
            try (Model loaded = Checkpoints.load(backend, file)) {
                assertEquals(vgg.config(), loaded.config());
                Map<String, TensorEntry> actual = loaded.stateDict();
                vgg.stateDict().forEach((key, e) -> {
                    if (e.dtype().isFloat()) {
                        assertArrayEquals(rounded(e.floats(), dtype), actual.get(key).floats(), key);
                    }
                });
            }
        }
    }

    @Test
    void aModulePrefixAndAMissingBatchCounterAreAccepted() throws IOException {
        try (Vgg vgg = SMALL.create(backend)) {
            Path prefixed = plainFile(vgg, DType.F32, "module.");
            try (Vgg loaded = TorchvisionImport.load(backend, SafeTensors.read(prefixed), 40, 40)) {
                assertArrayEquals(vgg.stateDict().get("features.0.weight").floats(),
                        loaded.stateDict().get("features.0.weight").floats());
            }
            List<TensorEntry> old = vgg.stateDict().values().stream()
                    .filter(e -> !e.name().endsWith("num_batches_tracked")).toList();
            Path file = dir.resolve("old.safetensors");
            SafeTensors.write(file, old, Map.of());
            try (Vgg loaded = TorchvisionImport.load(backend, SafeTensors.read(file), 40, 40)) {
                assertEquals(0L, loaded.stateDict().get("features.1.num_batches_tracked").longs()[0]);
            }
        }
    }

    @Test
    void withoutBatchNormAndAtTorchvisionsSize() throws IOException {
        VggConfig plain = VggConfig.named("vgg11").withWidth(1.0 / 16).withHidden(8).withImageSize(224).withSeed(1);
        try (Vgg vgg = plain.create(backend)) {
            try (Vgg loaded = TorchvisionImport.load(backend, SafeTensors.read(plainFile(vgg, DType.F32, "")), 224, 224)) {
                assertFalse(loaded.config().batchNorm());
                assertEquals(ClassifierLayout.TORCHVISION, loaded.config().classifier(),
                        "at 224x224 both layouts fit; torchvision's is taken");
            }
        }
    }

    @Test
    void shapeMismatchesAreOneLineErrorsNamingTheKeyAndBothShapes() throws IOException {
        try (Vgg vgg = SMALL.create(backend)) {
            Path file = plainFile(vgg, DType.F32, "");
            String wrongSize = assertThrows(CheckpointException.class,
                    () -> TorchvisionImport.config(SafeTensors.read(file), 64, 64)).getMessage();
            assertTrue(wrongSize.contains("'classifier.0.weight' has shape [24, 32], expected [24, 1568]")
                    && wrongSize.contains("[24, 128]") && !wrongSize.contains("\n"), wrongSize);

            List<TensorEntry> broken = new ArrayList<>(vgg.stateDict().values());
            broken.replaceAll(e -> e.name().equals("classifier.3.weight")
                    ? TensorEntry.f32(e.name(), new int[] {24, 23}, new float[24 * 23]) : e);
            Path brokenFile = dir.resolve("broken.safetensors");
            SafeTensors.write(brokenFile, broken, Map.of());
            String message = assertThrows(CheckpointException.class,
                    () -> TorchvisionImport.config(SafeTensors.read(brokenFile), 40, 40)).getMessage();
            assertTrue(message.contains("'classifier.3.weight' has shape [24, 23], expected [24, 24]"), message);
        }
        Path notVgg = dir.resolve("other.safetensors");
        SafeTensors.write(notVgg, List.of(TensorEntry.f32("encoder.weight", new int[] {1}, new float[] {1})), Map.of());
        String message = assertThrows(CheckpointException.class,
                () -> TorchvisionImport.config(SafeTensors.read(notVgg), 32, 32)).getMessage();
        assertTrue(message.contains("not a torchvision VGG state dict"), message);
    }

    @Test
    void fineTuningKeepsAFreshOutputLayerWhenTheClassCountDiffers() throws IOException {
        try (Vgg source = SMALL.create(backend); Vgg target = SMALL.withNumClasses(3).withSeed(8).create(backend)) {
            Map<String, TensorEntry> fresh = target.stateDict();
            List<String> kept = Checkpoints.initialise(target, source.stateDict(), "source.safetensors");
            assertEquals(List.of("classifier.6.bias", "classifier.6.weight"), kept.stream().sorted().toList());
            Map<String, TensorEntry> now = target.stateDict();
            assertArrayEquals(source.stateDict().get("classifier.3.weight").floats(), now.get("classifier.3.weight").floats());
            assertArrayEquals(fresh.get("classifier.6.weight").floats(), now.get("classifier.6.weight").floats());
            try (Vgg same = SMALL.withSeed(9).create(backend)) {
                assertEquals(List.of(), Checkpoints.initialise(same, source.stateDict(), "source.safetensors"));
                assertArrayEquals(source.stateDict().get("classifier.6.weight").floats(),
                        same.stateDict().get("classifier.6.weight").floats());
            }
        }
    }

    @Test
    void theTorchvisionClassifierRunsAtASmallInput() {
        VggConfig c = SMALL.withClassifier(ClassifierLayout.TORCHVISION).withImageSize(32);
        try (Vgg vgg = c.create(backend); Tensor x = backend.allocate(c.inputShape(2), 0.5f)) {
            assertEquals(Shape.matrix(2, 5), vgg.forward(x).shape());
            assertEquals(Shape.matrix(24, 32 * 49), c.parameterShapes().get("classifier.0.weight"));
        }
    }
}
