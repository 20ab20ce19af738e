package dev.vgg4j.model;

import dev.vgg4j.spi.Tensor;

/** A non-trainable float32 tensor of the state dict, e.g. {@code features.1.running_mean}. */
public record TensorBuffer(String name, Tensor value) implements TensorBacked {}
