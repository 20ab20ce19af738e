package dev.vgg4j.spi;

/** How a per-sample loss is reduced over the batch (PyTorch's {@code reduction}). */
public enum Reduction {
    SUM,
    MEAN
}
