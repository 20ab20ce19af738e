package dev.vgg4j.bench;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Tensor;

/**
 * The end of a measured call: it returns only when the device has finished every op issued before
 * it, so a backend whose launches return before their kernels do (a GPU queue) is timed on the
 * kernels, not on the launches.
 */
final class Fence {
    private final Backend backend;
    /** [1]: a one-float download, cheap on any backend. */
    private final Tensor marker;
    private final float[] host = new float[1];

    Fence(Backend backend) {
        this.backend = backend;
        this.marker = backend.allocate(Shape.of(1));
        backend.fill(marker, 0f);
    }

    /**
     * {@code synchronize()} is the SPI's wait; the download on top of it does not trust a backend
     * that treats its launches as already finished: a download waits for every pending op, and a
     * device queue runs in order, so the float arrives after the last kernel.
     */
    void await() {
        backend.synchronize();
        backend.download(marker, host);
    }
}
