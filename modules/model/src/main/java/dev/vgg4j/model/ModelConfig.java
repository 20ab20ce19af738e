package dev.vgg4j.model;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Backend;
import java.util.Map;

/**
 * Everything that defines a {@link Model}: an immutable description that builds it, counts its
 * parameters without allocating, and travels in checkpoint metadata so that a checkpoint rebuilds
 * the model it was written from ({@link Models#fromMetadata}).
 *
 * <p>Image classifiers only: inputs {@code [N, inChannels, imageHeight, imageWidth]}, outputs
 * logits {@code [N, numClasses]}.
 */
public interface ModelConfig {
    /** Metadata key naming the {@link ModelFamily} that reads the rest of the config back. */
    String FAMILY_KEY = "vgg4j.model.family";
    /** Metadata key of the model's name; every config writes it (its presence marks a vgg4j checkpoint). */
    String NAME_KEY = "vgg4j.model.name";

    /** The {@link ModelFamily#name()} that reads this config back. */
    String family();

    /** A short name for messages and run folders, e.g. {@code vgg16_bn}. */
    String name();

    int inChannels();

    int imageHeight();

    int imageWidth();

    int numClasses();

    /** Seed of the initial weights and of the dropout masks. */
    long seed();

    ModelConfig withInChannels(int channels);

    ModelConfig withImageSize(int height, int width);

    ModelConfig withNumClasses(int classes);

    ModelConfig withSeed(long seed);

    /** A new model with freshly initialised weights, on {@code backend}. */
    Model create(Backend backend);

    /** Names and shapes of every trainable parameter in state-dict order, computed without allocating. */
    Map<String, Shape> parameterShapes();

    /** Number of trainable parameters, computed without allocating. */
    default long parameterCount() {
        return parameterShapes().values().stream().mapToLong(Shape::size).sum();
    }

    /** The shape of a batch of {@code n} inputs. */
    default Shape inputShape(int n) {
        return Shape.nchw(n, inChannels(), imageHeight(), imageWidth());
    }

    /** The config as checkpoint metadata ({@code vgg4j.model.*} keys, including {@link #FAMILY_KEY} and {@link #NAME_KEY}). */
    Map<String, String> toMetadata();
}
