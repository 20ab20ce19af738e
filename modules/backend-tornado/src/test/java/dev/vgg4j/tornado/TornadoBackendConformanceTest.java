package dev.vgg4j.tornado;

import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.tck.BackendConformance;
import org.junit.jupiter.api.BeforeAll;

/**
 * The conformance kit on whatever device TornadoVM picks (PoCL on CPU machines). Skipped, with the
 * provider's reason, when the JVM was started without TornadoVM's runtime.
 */
class TornadoBackendConformanceTest extends BackendConformance {

    @BeforeAll
    static void tornadoPresent() {
        DeviceFixture.assumeTornado();
    }

    @Override
    protected String backendName() {
        return TornadoBackendProvider.NAME;
    }

    /** A 256 MiB device heap: the kit's largest case is a VGG-sized conv on a few images. */
    @Override
    protected BackendOptions options() {
        return DeviceFixture.options(256);
    }
}
