package dev.vgg4j.model;

import dev.vgg4j.model.io.CheckpointException;
import java.util.List;
import java.util.Map;

/**
 * A kind of model that {@link Models} can look up: by a model name (the CLI's {@code --model})
 * and by the {@link ModelConfig#FAMILY_KEY} of a checkpoint's metadata. Families are found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.vgg4j.model.ModelFamily}).
 */
public interface ModelFamily {

    /** The family's name as written under {@link ModelConfig#FAMILY_KEY}, e.g. {@code vgg}. */
    String name();

    /** The model names {@link #named} knows, e.g. {@code vgg16_bn}. */
    List<String> modelNames();

    /** The default config of a model from {@link #modelNames()}. */
    ModelConfig named(String modelName);

    /** The config that {@link ModelConfig#toMetadata()} wrote; missing or bad values name {@code source}. */
    ModelConfig fromMetadata(Map<String, String> metadata, String source) throws CheckpointException;
}
