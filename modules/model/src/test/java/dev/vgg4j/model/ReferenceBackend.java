package dev.vgg4j.model;

import dev.vgg4j.spi.AbstractBackend;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Backends;

/** The reference backend, found by name as any user would, for the model's tests. */
final class ReferenceBackend {
    private ReferenceBackend() {}

    static Backend create() {
        return Backends.create("reference");
    }

    /** Tensors the backend has handed out and not freed (AbstractBackend's count). */
    static int live(Backend backend) {
        return ((AbstractBackend<?>) backend).liveTensors();
    }
}
