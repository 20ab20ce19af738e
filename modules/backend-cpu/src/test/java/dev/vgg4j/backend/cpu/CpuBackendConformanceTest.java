package dev.vgg4j.backend.cpu;

import dev.vgg4j.tck.BackendConformance;

/** The whole conformance kit on the cpu backend (2 threads), with the kit's default float32 tolerances. */
class CpuBackendConformanceTest extends BackendConformance {
    @Override
    protected String backendName() {
        return "cpu";
    }
}
