package dev.vgg4j.backend.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.Backends;
import dev.vgg4j.spi.Tensor;
import org.junit.jupiter.api.Test;

/** The reference backend is found through ServiceLoader, by name and as the only (hence default) backend here. */
class ReferenceBackendDiscoveryTest {

    @Test
    void isListedAsAlwaysAvailableWithPriorityZero() {
        Backends.Info info = Backends.list().stream()
                .filter(i -> i.name().equals("reference"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("reference not found among " + Backends.list()));
        assertEquals(0, info.priority());
        assertTrue(info.availability().available(), info.availability().toString());
        assertInstanceOf(ReferenceBackendProvider.class, Backends.provider("reference"));
    }

    @Test
    void createsAWorkingBackendByName() {
        try (Backend backend = Backends.create("reference", BackendOptions.defaults())) {
            assertInstanceOf(ReferenceBackend.class, backend);
            assertEquals("reference", backend.name());
            assertEquals(1, backend.threads());
            Tensor t = backend.upload(new float[] {1f, -2f, 3f}, Shape.of(3));
            Tensor sum = backend.allocate(Shape.of(1));
            backend.sum(t, sum);
            assertEquals(2f, backend.download(sum)[0]);
        }
    }

    /** Only this module's provider is on its test class path, so it is the default. */
    @Test
    void isTheDefaultWhenAlone() {
        assertEquals("reference", Backends.defaultName());
    }

    @Test
    void closingTensorsAndTheBackendFreesThem() {
        ReferenceBackend backend = new ReferenceBackend();
        Tensor a = backend.allocate(Shape.of(4));
        backend.allocate(Shape.matrix(2, 2));
        a.reshape(Shape.matrix(2, 2));
        assertEquals(2, backend.liveTensors(), "views are not counted");
        a.close();
        assertEquals(1, backend.liveTensors());
        backend.close();
        assertEquals(0, backend.liveTensors());
    }
}
