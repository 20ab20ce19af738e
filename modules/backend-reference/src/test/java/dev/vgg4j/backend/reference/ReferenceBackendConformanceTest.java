package dev.vgg4j.backend.reference;

import dev.vgg4j.tck.BackendConformance;

/** The whole conformance kit on the reference backend, with the kit's default float32 tolerances. */
class ReferenceBackendConformanceTest extends BackendConformance {
    @Override
    protected String backendName() {
        return ReferenceBackendProvider.NAME;
    }
}
