package dev.vgg4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class VggLayersTest {

    @Test
    void thirteenLayersHalvingTheMapPerBlock() {
        List<VggLayers.Layer> layers = VggLayers.layers(50);
        assertEquals(13, layers.size());
        assertEquals(new VggLayers.Layer("conv1_1@50", 3, 64, 50), layers.get(0));
        assertEquals(new VggLayers.Layer("conv3_1@50", 128, 256, 12), layers.get(4));
        assertEquals(new VggLayers.Layer("conv5_3@50", 512, 512, 3), layers.get(12));
    }

    /** The OpenBLAS reference shape M=128 K=1152 N=1024 is conv2_2's forward at 32 px. */
    @Test
    void conv22ForwardIsTheReferenceShape() {
        GemmShape fwd = VggLayers.gemm("conv2_2@32/b32/fwd");
        assertEquals(List.of(128, 1024, 1152), List.of(fwd.m(), fwd.n(), fwd.k()));
        GemmShape bwdData = VggLayers.gemm("conv2_2@32/b32/bwd-data");
        assertEquals(List.of(1152, 1024, 128), List.of(bwdData.m(), bwdData.n(), bwdData.k()));
        assertTrue(bwdData.transA());
        GemmShape bwdWeight = VggLayers.gemm("conv2_2@32/b32/bwd-weight");
        assertEquals(List.of(128, 1152, 1024), List.of(bwdWeight.m(), bwdWeight.n(), bwdWeight.k()));
        assertTrue(bwdWeight.transB());
    }

    /** Small maps fold images into the GEMM width: up to 1024 columns, at most the whole batch. */
    @Test
    void smallMapsFoldTheBatchIntoN() {
        assertEquals(32 * 2 * 2, VggLayers.gemm("conv5_1@32/b32/fwd").n());
        assertEquals(128 * 2 * 2, VggLayers.gemm("conv5_1@32/b128/fwd").n());
        assertEquals(64 * 4 * 4, VggLayers.gemm("conv4_1@32/b128/fwd").n());
        assertEquals(32 * 32, VggLayers.gemm("conv1_1@32/b128/fwd").n());
    }

    @Test
    void unknownNamesSayWhatIsExpected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VggLayers.gemm("square/300"));
        assertTrue(e.getMessage().contains("square/256..2048"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> VggLayers.layer("conv6_1@32"));
    }
}
