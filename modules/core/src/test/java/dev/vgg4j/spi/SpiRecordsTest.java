package dev.vgg4j.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The small value types of the SPI: validation and derived values. */
class SpiRecordsTest {

    @Test
    void convOutputSizeIsFloored() {
        assertEquals(32, Conv2dSpec.VGG.outputSize(32, 3));
        assertEquals(1, Conv2dSpec.VGG.outputSize(1, 3));
        assertEquals(4, new Conv2dSpec(2, 1).outputSize(7, 3));
        assertEquals(3, new Conv2dSpec(2, 0).outputSize(7, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Conv2dSpec(0, 1));
        assertTrue(e.getMessage().contains("stride"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Conv2dSpec(1, -1));
    }

    @Test
    void backendOptionsResolveThreads() {
        assertEquals(3, BackendOptions.defaults().withThreads(3).resolvedThreads());
        assertEquals(Runtime.getRuntime().availableProcessors(), BackendOptions.defaults().resolvedThreads());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BackendOptions(-1, 0, 1L, Map.of()));
        assertTrue(e.getMessage().contains("threads"), e.getMessage());
        assertEquals(9L, BackendOptions.defaults().withSeed(9L).seed());
        assertEquals(1, BackendOptions.defaults().withDeviceIndex(1).deviceIndex());
        BackendOptions extra = BackendOptions.defaults().withExtra("a", "1").withExtra("a", "2").withExtra("b", "3");
        assertEquals(Map.of("a", "2", "b", "3"), extra.extra());
    }

    @Test
    void adamDefaultsAreTorchs() {
        AdamParams p = AdamParams.adam(1e-3f);
        assertEquals(new AdamParams(1e-3f, 0.9f, 0.999f, 1e-8f, 0f, false), p);
        assertEquals(1e-4f, p.withLr(1e-4f).lr());
        assertEquals(0.999f, p.withLr(1e-4f).beta2());
    }

    @Test
    void nesterovNeedsMomentumAndNoDampening() {
        assertThrows(IllegalArgumentException.class, () -> new SgdParams(0.1f, 0f, 0f, 0f, true));
        assertThrows(IllegalArgumentException.class, () -> new SgdParams(0.1f, 0.9f, 0.1f, 0f, true));
        assertEquals(0.01f, new SgdParams(0.1f, 0.9f, 0f, 0f, true).withLr(0.01f).lr());
    }
}
