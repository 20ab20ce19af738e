package dev.vgg4j.model;

import dev.vgg4j.model.io.CheckpointException;
import java.util.List;
import java.util.Map;

/** torchvision's VGGs ({@code vgg11} ... {@code vgg19_bn}) for {@link Models}. */
public final class VggFamily implements ModelFamily {
    static final String NAME = "vgg";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> modelNames() {
        return VggConfig.names();
    }

    @Override
    public VggConfig named(String modelName) {
        return VggConfig.named(modelName);
    }

    @Override
    public VggConfig fromMetadata(Map<String, String> metadata, String source) throws CheckpointException {
        return VggConfig.fromMetadata(metadata, source);
    }
}
