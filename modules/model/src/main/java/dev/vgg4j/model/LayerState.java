package dev.vgg4j.model;

import dev.vgg4j.spi.Tensor;

/** Checks and clean-up shared by the layers. */
final class LayerState {
    private LayerState() {}

    /** The input saved by the last forward; a backward without one is a caller bug. */
    static <T> T requireForward(T saved, String layer) {
        if (saved == null) {
            throw new IllegalStateException(layer + ": backward called before forward");
        }
        return saved;
    }

    static void close(Parameter... parameters) {
        for (Parameter p : parameters) {
            close(p.value(), p.grad());
        }
    }

    static void close(Tensor... tensors) {
        for (Tensor t : tensors) {
            t.close();
        }
    }
}
