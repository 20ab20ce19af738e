package dev.vgg4j.tornado;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.spi.Availability;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.Backends;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Discovery and availability of the provider, with or without TornadoVM in the JVM. */
class TornadoBackendProviderTest {
    private final TornadoBackendProvider provider = new TornadoBackendProvider();
    private final boolean runtimeOnModulePath = System.getProperty("tornado.load.runtime.implementation") != null;

    @Test
    void listedByServiceLoaderUnderItsName() {
        assertTrue(Backends.list().stream().anyMatch(info -> info.name().equals("tornado")),
                "tornado is among " + Backends.list());
    }

    @Test
    void withoutTheRuntimeItIsUnavailableAndSaysWhy() {
        Availability a = provider.availability();
        if (runtimeOnModulePath) {
            assertTrue(a.available(), a::reason);
        } else {
            assertFalse(a.available());
            assertTrue(a.reason().contains("TornadoVM runtime not on the module path"), a.reason());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> provider.create(BackendOptions.defaults()));
            assertTrue(e.getMessage().contains(a.reason()), e.getMessage());
        }
    }

    @Test
    void outranksTheCpuBackendOnlyOnAGpu() {
        int priority = provider.priority();
        if (TornadoRuntimeProbe.defaultDeviceIsGpu()) {
            assertTrue(priority > 100, "priority " + priority);
        } else {
            assertEquals(1, priority);
        }
    }

    @Test
    void aDeviceHeapSizeThatIsNotANumberIsRefusedByName() {
        org.junit.jupiter.api.Assumptions.assumeTrue(provider.availability().available(), "needs TornadoVM");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> provider.create(new BackendOptions(1, 0, 1L, Map.of("tornado.memory", "lots"))));
        assertTrue(e.getMessage().startsWith("tornado.memory: expected"), e.getMessage());
    }
}
