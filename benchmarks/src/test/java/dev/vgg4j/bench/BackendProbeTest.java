package dev.vgg4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Backends;
import org.junit.jupiter.api.Test;

class BackendProbeTest {

    @Test
    void anAvailableBackendAnswersWithItsDevice() {
        String expected;
        try (Backend b = Backends.create("reference")) {
            expected = b.deviceDescription();
        }
        BackendProbe.Result r = BackendProbe.parse("reference", BackendProbe.describe("reference"), 0);
        assertTrue(r.available(), r.detail());
        assertEquals(expected, r.detail());
        assertEquals("reference: " + expected, r.line());
    }

    @Test
    void anUnknownBackendIsSkippedWithItsName() {
        BackendProbe.Result r = BackendProbe.parse("gpu9", BackendProbe.describe("gpu9"), 0);
        assertFalse(r.available());
        assertTrue(r.line().startsWith("gpu9: skipped (no provider 'gpu9'"), r.line());
    }

    /** TornadoVM logs lines of its own; the probe's answer is its last line of the expected form. */
    @Test
    void theAnswerIsFoundAfterOtherOutput() {
        BackendProbe.Result r = BackendProbe.parse("tornado",
                "WARNING: something from the runtime\navailable\tNVIDIA H100 80GB HBM3\n", 0);
        assertTrue(r.available());
        assertEquals("NVIDIA H100 80GB HBM3", r.detail());
    }

    @Test
    void aProbeThatDiesIsSkippedWithItsExitCodeAndLastLine() {
        BackendProbe.Result r = BackendProbe.parse("tornado", "Error: could not find libOpenCL.so\n", 1);
        assertFalse(r.available());
        assertEquals("tornado: skipped (probe JVM exited with 1: Error: could not find libOpenCL.so)", r.line());
    }
}
