package dev.vgg4j.model;

import dev.vgg4j.spi.Tensor;

/**
 * A trainable tensor and its gradient, both owned by the layer that declares them. The gradient
 * has the value's shape and is overwritten by every backward.
 *
 * @param name torchvision state-dict key, e.g. {@code features.0.weight}
 */
public record Parameter(String name, Tensor value, Tensor grad) implements TensorBacked {}
