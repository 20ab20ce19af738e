package dev.vgg4j.bench;

import dev.vgg4j.spi.BackendOptions;
import java.util.Map;

/** The backend options the benchmarks create their backend with. */
final class BackendSettings {
    /** The cpu backend's option for its convolution algorithm (see the cpu backend's README section). */
    static final String CONV_ALGORITHM = "cpu.conv-algorithm";

    private BackendSettings() {}

    /** {@code threads} host threads and the cpu backend's convolution algorithm ({@code auto}, {@code im2col}, {@code winograd}). */
    static BackendOptions options(int threads, String convAlgorithm) {
        BackendOptions d = BackendOptions.defaults();
        return new BackendOptions(threads, d.deviceIndex(), d.seed(), Map.of(CONV_ALGORITHM, convAlgorithm));
    }
}
