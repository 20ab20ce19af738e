package dev.vgg4j.cli;

import dev.vgg4j.model.Model;
import dev.vgg4j.model.ModelConfig;
import dev.vgg4j.model.Pretrained;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.Backends;
import dev.vgg4j.spi.Tensor;
import java.io.IOException;

/** A network loaded from a checkpoint for inference: images in, logits out, on the chosen backend. */
final class CheckpointModel implements AutoCloseable {
    private final Backend backend;
    private final Model model;

    private CheckpointModel(Backend backend, Model model) {
        this.backend = backend;
        this.model = model;
    }

    static CheckpointModel load(CheckpointFlags checkpoint, BackendFlags flags) throws IOException {
        flags.check();
        Pretrained pretrained = checkpoint.read();
        String name = flags.backend == null ? Backends.defaultName() : flags.backend;
        Backend backend;
        try {
            backend = Backends.create(name, BackendOptions.defaults().withThreads(flags.threads));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--backend: " + e.getMessage());
        }
        try {
            Model model = pretrained.load(backend);
            model.train(false);
            return new CheckpointModel(backend, model);
        } catch (IOException | RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    ModelConfig config() {
        return model.config();
    }

    Backend backend() {
        return backend;
    }

    /** images {@code [N, C, H, W]} (normalized floats) -> logits {@code [N, classes]}, row after row. */
    float[] logits(float[] images, int count) {
        try (Tensor input = backend.upload(images, model.config().inputShape(count))) {
            return backend.download(model.forward(input));
        }
    }

    @Override
    public void close() {
        model.close();
        backend.close();
    }
}
