package dev.vgg4j.tornado;

import dev.vgg4j.spi.Availability;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.BackendProvider;
import dev.vgg4j.spi.Precision;
import java.util.EnumSet;
import java.util.Set;

/**
 * The {@code tornado} provider. It loads on any JVM: TornadoVM's classes are touched only through
 * {@link TornadoRuntimeProbe} once its runtime is known to be on the module path. It outranks the
 * cpu backend only on a real GPU; an OpenCL CPU device (PoCL) is slower than the Vector API kernels.
 */
public final class TornadoBackendProvider implements BackendProvider {
    public static final String NAME = "tornado";
    /** Above the cpu backend (100) on a GPU; below it, and above reference (0), elsewhere. */
    /** Above the cpu backend (100) on a GPU; elsewhere below it and above reference (0). */
    private static final int GPU_PRIORITY = 200;
    private static final int OTHER_DEVICE_PRIORITY = 1;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return TornadoRuntimeProbe.defaultDeviceIsGpu() ? GPU_PRIORITY : OTHER_DEVICE_PRIORITY;
    }

    @Override
    public Availability availability() {
        return TornadoRuntimeProbe.availability();
    }

    /** float32, and float16 autocast ({@link Autocast}). */
    @Override
    public Set<Precision> precisions() {
        return EnumSet.of(Precision.FP32, Precision.FP16);
    }

    /**
     * Options: {@code deviceIndex} picks device {@code 0:index}; {@code extra} may name
     * {@code tornado.device=B:D} (TornadoVM backend and device index) and {@code tornado.memory=MiB},
     * the device heap that holds every tensor (default 1024, or -Dvgg4j.tornado.memory).
     */
    @Override
    public Backend create(BackendOptions options) {
        Availability a = availability();
        if (!a.available()) {
            throw new IllegalStateException("backend 'tornado' is unavailable: " + a.reason());
        }
        return DevicePlans.backendFor(options);
    }
}
