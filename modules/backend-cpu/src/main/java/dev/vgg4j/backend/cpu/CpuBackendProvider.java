package dev.vgg4j.backend.cpu;

import dev.vgg4j.spi.Availability;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.BackendProvider;

/** Finds the {@code cpu} backend through {@link java.util.ServiceLoader}; it ranks above the reference backend. */
public final class CpuBackendProvider implements BackendProvider {
    static final String VECTOR_MODULE = "jdk.incubator.vector";

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Availability availability() {
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            return Availability.no("the JVM was started without " + VECTOR_MODULE
                    + "; add --add-modules=" + VECTOR_MODULE + " (see vgg4j.jvm.args in the root pom.xml)");
        }
        return Availability.yes();
    }

    @Override
    public Backend create(BackendOptions options) {
        Availability availability = availability();
        if (!availability.available()) {
            throw new IllegalStateException("backend 'cpu' is not available: " + availability.reason());
        }
        return new CpuBackend(options);
    }
}
