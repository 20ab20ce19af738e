package dev.vgg4j.tck;

import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.Backends;
import org.junit.jupiter.api.Nested;

/**
 * The backend conformance kit. A backend passes it by extending this class in its own
 * {@code src/test} and naming its provider:
 *
 * <pre>
 * class CpuBackendConformanceTest extends BackendConformance {
 *     &#64;Override protected String backendName() { return "cpu"; }
 * }
 * </pre>
 *
 * Every group below runs against a fresh backend per test, created by {@link #createBackend()}
 * (by default {@code Backends.create(backendName(), options())}). Inputs are seeded from the test's
 * name, so every backend sees the same numbers and a failure repeats.
 */
public abstract class BackendConformance {

    /** The provider name under test, e.g. {@code "reference"}. */
    protected abstract String backendName();

    /** Options for each backend the kit creates; override e.g. to test several thread counts. */
    protected BackendOptions options() {
        return BackendOptions.defaults().withThreads(2);
    }

    protected Backend createBackend() {
        return Backends.create(backendName(), options());
    }

    /** Override only with a comment that says why the backend cannot meet the float32 defaults. */
    protected Tolerances tolerances() {
        return Tolerances.FLOAT32;
    }

    @Nested
    class Memory extends MemoryConformance {
        Memory() {
            super(BackendConformance.this);
        }
    }

    @Nested
    class Elementwise extends ElementwiseConformance {
        Elementwise() {
            super(BackendConformance.this);
        }
    }

    @Nested
    class Gemm extends GemmConformance {
        Gemm() {
            super(BackendConformance.this);
        }
    }

    @Nested
    class Convolution extends ConvConformance {
        Convolution() {
            super(BackendConformance.this);
        }
    }

    @Nested
    class Linear extends LinearConformance {
        Linear() {
            super(BackendConformance.this);
        }
    }

    @Nested
    class BatchNorm extends BatchNormConformance {
        BatchNorm() {
            super(BackendConformance.this);
        }
    }

    @Nested
    class Relu extends ReluConformance {
        Relu() {
            super(BackendConformance.this);
        }
    }

    @Nested
    class MaxPool extends MaxPoolConformance {
        MaxPool() {
            super(BackendConformance.this);
        }
    }

    @Nested
    class AdaptiveAvgPool extends AdaptiveAvgPoolConformance {
        AdaptiveAvgPool() {
            super(BackendConformance.this);
        }
    }

    @Nested
    class Dropout extends DropoutConformance {
        Dropout() {
            super(BackendConformance.this);
        }
    }

    @Nested
    class Loss extends LossConformance {
        Loss() {
            super(BackendConformance.this);
        }
    }

    @Nested
    class LossScaling extends LossScalingConformance {
        LossScaling() {
            super(BackendConformance.this);
        }
    }

    @Nested
    class Optimizers extends OptimizerConformance {
        Optimizers() {
            super(BackendConformance.this);
        }
    }
}
