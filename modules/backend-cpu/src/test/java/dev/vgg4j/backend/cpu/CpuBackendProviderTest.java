package dev.vgg4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.Backends;
import org.junit.jupiter.api.Test;

class CpuBackendProviderTest {

    @Test
    void serviceLoaderFindsCpuAboveReference() {
        assertTrue(Backends.provider("cpu").availability().available(), Backends.provider("cpu").availability()::toString);
        assertTrue(Backends.provider("cpu").priority() > Backends.provider("reference").priority());
        assertEquals("cpu", Backends.defaultName());
    }

    @Test
    void threadCountComesFromOptions() {
        try (Backend backend = Backends.create("cpu", BackendOptions.defaults().withThreads(3))) {
            assertEquals(3, backend.threads());
            assertTrue(backend.deviceDescription().startsWith("3 threads"), backend.deviceDescription());
        }
    }
}
