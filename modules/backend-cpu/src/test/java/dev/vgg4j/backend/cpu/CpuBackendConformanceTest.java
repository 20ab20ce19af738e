package dev.vgg4j.backend.cpu;

import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.tck.BackendConformance;
import java.util.Map;
import org.junit.jupiter.api.Nested;

/**
 * The whole conformance kit on the cpu backend (2 threads), with the kit's default float32
 * tolerances: once with the default algorithm choice and once with each convolution algorithm forced.
 */
class CpuBackendConformanceTest extends BackendConformance {
    @Override
    protected String backendName() {
        return "cpu";
    }

    /** The kit with {@code cpu.conv-algorithm} set to {@code algorithm}. */
    abstract static class Forced extends BackendConformance {
        private final String algorithm;

        Forced(String algorithm) {
            this.algorithm = algorithm;
        }

        @Override
        protected String backendName() {
            return "cpu";
        }

        @Override
        protected BackendOptions options() {
            BackendOptions d = super.options();
            return new BackendOptions(d.threads(), d.deviceIndex(), d.seed(),
                    Map.of(ConvolutionChoice.OPTION, algorithm));
        }
    }

    @Nested
    class Im2colForced extends Forced {
        Im2colForced() {
            super("im2col");
        }
    }

    @Nested
    class WinogradForced extends Forced {
        WinogradForced() {
            super("winograd");
        }
    }
}
