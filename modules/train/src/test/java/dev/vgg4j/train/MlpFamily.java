package dev.vgg4j.train;

import dev.vgg4j.model.ModelConfig;
import dev.vgg4j.model.ModelFamily;
import java.util.List;
import java.util.Map;

/** Registers the test model {@link Mlp} with {@code Models} (META-INF/services in the test resources). */
public final class MlpFamily implements ModelFamily {
    static final String NAME = "test-mlp";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> modelNames() {
        return List.of(MlpConfig.NAME);
    }

    @Override
    public ModelConfig named(String modelName) {
        return MlpConfig.defaults();
    }

    @Override
    public ModelConfig fromMetadata(Map<String, String> metadata, String source) {
        return MlpConfig.fromMetadata(metadata);
    }
}
