package dev.vgg4j.tornado;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.Backends;
import dev.vgg4j.spi.Precision;
import java.util.Map;

/** What the device tests share: skipping without TornadoVM, and a backend with a device heap of a given size. */
final class DeviceFixture {
    private DeviceFixture() {}

    /** Skips the calling test class, with the provider's reason, when the JVM runs without TornadoVM. */
    static void assumeTornado() {
        var availability = new TornadoBackendProvider().availability();
        assumeTrue(availability.available(), availability::reason);
    }

    /** One thread, seed 42 and a device heap of {@code memoryMiB}. */
    static BackendOptions options(int memoryMiB) {
        return new BackendOptions(1, 0, 42L, Map.of("tornado.memory", Integer.toString(memoryMiB)));
    }

    static TornadoBackend backend(int memoryMiB) {
        return (TornadoBackend) Backends.create(TornadoBackendProvider.NAME, options(memoryMiB));
    }

    /** Like {@link #backend(int)}, in {@code precision}, with step recording ({@code tornado.record}) on or off whatever the device. */
    static TornadoBackend backend(int memoryMiB, boolean record, Precision precision) {
        return (TornadoBackend) Backends.create(TornadoBackendProvider.NAME, new BackendOptions(1, 0, 42L,
                Map.of("tornado.memory", Integer.toString(memoryMiB), "tornado.record", Boolean.toString(record)))
                .withPrecision(precision));
    }
}
