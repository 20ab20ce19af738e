package dev.vgg4j.tornado;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.tornado.kernels.OptimizerKernels;
import dev.vgg4j.tornado.kernels.OptimizerKernels.AdamArgs;
import dev.vgg4j.tornado.kernels.OptimizerKernels.AdamHyper;
import org.junit.jupiter.api.Test;

/** Batching of Adam updates into one launch's parameters: plain bookkeeping, no device. */
class PendingAdamTest {
    private static final AdamHyper HYPER = new AdamHyper(1e-3f, 0.9f, 0.999f, 1e-8f, 0f, 0.01f, 0.03f);

    @Test
    void tensorsAreLaidOutWithTheirFirstElementAndTheHeaderCountsThem() {
        PendingAdam pending = new PendingAdam();
        pending.add(100, 200, 300, 400, 10, false, HYPER);
        pending.add(1000, 2000, 3000, 4000, 5, false, HYPER);
        AdamArgs launch = pending.take();
        assertArrayEquals(new int[] {15, 2, 0, 100, 200, 300, 400, 0, 1000, 2000, 3000, 4000, 10}, launch.ints());
        assertEquals(15, launch.count());
        assertArrayEquals(new float[] {1e-3f, 0.9f, 0.999f, 1e-8f, 0f, 0.01f, 0.03f}, launch.floats());
        assertTrue(pending.isEmpty(), "taking the launch empties the batch");
    }

    @Test
    void onlyUpdatesWithTheSameSettingsAndRoomLeftJoin() {
        PendingAdam pending = new PendingAdam();
        assertTrue(pending.accepts(10, true, HYPER), "an empty batch takes anything");
        pending.add(0, 0, 0, 0, 10, false, HYPER);
        AdamHyper nextStep = new AdamHyper(1e-3f, 0.9f, 0.999f, 1e-8f, 0f, 0.02f, 0.03f);
        assertFalse(pending.accepts(10, false, nextStep), "another step's bias correction");
        assertFalse(pending.accepts(10, true, HYPER), "AdamW after Adam");
        assertFalse(pending.accepts(Integer.MAX_VALUE - 5, false, HYPER), "element count past int");
        for (int t = 1; t < OptimizerKernels.ADAM_TENSORS; t++) {
            assertTrue(pending.accepts(10, false, HYPER));
            pending.add(0, 0, 0, 0, 10, false, HYPER);
        }
        assertFalse(pending.accepts(10, false, HYPER), "full");
        pending.take();
        assertTrue(pending.isEmpty());
    }
}
