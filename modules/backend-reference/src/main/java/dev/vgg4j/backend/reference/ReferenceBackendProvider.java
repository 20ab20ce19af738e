package dev.vgg4j.backend.reference;

import dev.vgg4j.spi.Availability;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.BackendProvider;

/** The scalar reference backend: always available, lowest priority, never picked by default over a fast one. */
public final class ReferenceBackendProvider implements BackendProvider {
    public static final String NAME = "reference";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Availability availability() {
        return Availability.yes();
    }

    /** Options are accepted but unused: the reference backend is single-threaded and draws no random numbers of its own. */
    @Override
    public Backend create(BackendOptions options) {
        return new ReferenceBackend();
    }
}
