package dev.vgg4j.model;

import dev.vgg4j.model.io.CheckpointException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** Finds a {@link ModelFamily} by a model's name (CLI) or by checkpoint metadata. */
public final class Models {
    /** Checkpoints written before families existed hold a VGG and no {@link ModelConfig#FAMILY_KEY}. */
    private static final String DEFAULT_FAMILY = VggFamily.NAME;

    private Models() {}

    /** Every family on the class path, VGG first. */
    public static List<ModelFamily> families() {
        List<ModelFamily> all = new ArrayList<>();
        ServiceLoader.load(ModelFamily.class, Models.class.getClassLoader()).forEach(all::add);
        all.sort((a, b) -> Boolean.compare(!a.name().equals(DEFAULT_FAMILY), !b.name().equals(DEFAULT_FAMILY)));
        return all;
    }

    /** Every model name any family knows. */
    public static List<String> names() {
        return families().stream().flatMap(f -> f.modelNames().stream()).toList();
    }

    /** The default config of the model called {@code name}, e.g. {@code vgg16_bn}. */
    public static ModelConfig named(String name) {
        for (ModelFamily family : families()) {
            if (family.modelNames().contains(name)) {
                return family.named(name);
            }
        }
        throw new IllegalArgumentException("unknown model '" + name + "'; expected one of " + names());
    }

    /** Whether {@code metadata} holds a model config written by {@link ModelConfig#toMetadata()}. */
    public static boolean isIn(Map<String, String> metadata) {
        return metadata.containsKey(ModelConfig.NAME_KEY);
    }

    /** The config stored in checkpoint metadata; an unknown family or a bad value names {@code source}. */
    public static ModelConfig fromMetadata(Map<String, String> metadata, String source) throws CheckpointException {
        String name = metadata.getOrDefault(ModelConfig.FAMILY_KEY, DEFAULT_FAMILY);
        for (ModelFamily family : families()) {
            if (family.name().equals(name)) {
                return family.fromMetadata(metadata, source);
            }
        }
        throw new CheckpointException(source + ": holds a model of family '" + name + "', which is not on the class path"
                + " (known: " + families().stream().map(ModelFamily::name).toList() + ")");
    }
}
