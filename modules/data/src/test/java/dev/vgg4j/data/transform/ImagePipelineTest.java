package dev.vgg4j.data.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ImagePipelineTest {

    @Test
    void recipeScalesBytesToUnitRangeThenNormalizes() {
        ImageSize in = new ImageSize(1, 2, 2);
        ImagePipeline pipeline = ImagePipeline.recipe(in, 2);
        assertEquals(1, pipeline.transforms().size(), "no resize when the size already matches");
        byte[] pixels = {0, (byte) 255, (byte) 51, (byte) 204};
        float[] out = new float[4];
        pipeline.newScratch(in).process(pixels, 0, out, 0, 0);
        assertEquals(-1f, out[0], 1e-7f);
        assertEquals(1f, out[1], 1e-7f);
        assertEquals((51 / 255f - 0.5f) / 0.5f, out[2], 1e-7f);
        assertEquals((204 / 255f - 0.5f) / 0.5f, out[3], 1e-7f);
    }

    @Test
    void recipeResizesToTheRequestedSize() {
        ImageSize in = new ImageSize(3, 32, 32);
        ImagePipeline pipeline = ImagePipeline.recipe(in, 50);
        assertEquals(new ImageSize(3, 50, 50), pipeline.outputSize(in));
        byte[] pixels = new byte[in.elements()];
        java.util.Arrays.fill(pixels, (byte) 255);
        float[] out = new float[3 * 50 * 50];
        pipeline.newScratch(in).process(pixels, 0, out, 0, 0);
        for (float v : out) {
            assertEquals(1f, v, 1e-6f);
        }
    }
}
