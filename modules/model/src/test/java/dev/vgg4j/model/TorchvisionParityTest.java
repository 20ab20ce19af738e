package dev.vgg4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vgg4j.core.Shape;
import dev.vgg4j.model.io.SafeTensors;
import dev.vgg4j.model.io.SafeTensorsFile;
import dev.vgg4j.model.io.TensorEntry;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Tensor;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A state dict written by PyTorch (the fixture's script beside it: torchvision's VGG layout, vgg11_bn
 * at width 1/32, BF16 weights under a {@code module.} prefix, trained-looking batch norm statistics)
 * imports and gives PyTorch's eval-mode logits for the input stored with it.
 */
class TorchvisionParityTest {
    private final Backend backend = ReferenceBackend.create();

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void importedWeightsGivePyTorchsLogits() throws IOException, URISyntaxException {
        Path path = Path.of(getClass().getResource("/torchvision-vgg11-bn-bf16.safetensors").toURI());
        SafeTensorsFile file = SafeTensors.read(path);
        TensorEntry input = TorchvisionImport.stateDict(file).get("expected.input");
        float[] expected = TorchvisionImport.stateDict(file).get("expected.logits").floats();
        try (Vgg vgg = TorchvisionImport.load(backend, file, 32, 40);
                Tensor x = backend.upload(input.floats(), Shape.of(input.shape()))) {
            assertEquals(VggConfig.named("vgg11_bn").withWidth(1.0 / 32).withHidden(12).withImageSize(32, 40)
                    .withNumClasses(5).withClassifier(ClassifierLayout.TORCHVISION), vgg.config());
            assertEquals(7L, vgg.stateDict().get("features.1.num_batches_tracked").longs()[0]);
            vgg.train(false);
            float[] logits = backend.download(vgg.forward(x));
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], logits[i], 1e-5, "logit " + i);
            }
        }
    }
}
