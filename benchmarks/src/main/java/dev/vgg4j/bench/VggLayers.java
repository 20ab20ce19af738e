package dev.vgg4j.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * VGG16's thirteen 3x3 convolutions and the GEMMs the cpu backend issues for them. The backend
 * unfolds enough images side by side to reach 1024 GEMM columns (one image when the map has at
 * least 1024 positions), so batch size only changes the shapes of the small late layers.
 */
public final class VggLayers {
    /** Mirrors the cpu backend's im2col chunk target (Im2colConvolution.TARGET_COLUMNS). */
    static final int TARGET_COLUMNS = 1024;

    /** A conv layer at one input resolution: input {@code [N, c, size, size]}, f filters of 3x3. */
    public record Layer(String name, int c, int f, int size) {
        public int positions() {
            return size * size;
        }

        /** Multiply-adds x2 of forward, backward-data and backward-weight for {@code batch} images. */
        public double trainingFlops(int batch) {
            return 3 * 2.0 * f * c * 9 * positions() * batch;
        }
    }

    private static final int[][] BLOCKS = {{3, 64, 64}, {64, 128, 128}, {128, 256, 256, 256},
        {256, 512, 512, 512}, {512, 512, 512, 512}};

    private VggLayers() {}

    /** The 13 layers for a square input of {@code inputSize} pixels, named like {@code conv3_2@32}. */
    public static List<Layer> layers(int inputSize) {
        List<Layer> out = new ArrayList<>();
        int size = inputSize;
        for (int b = 0; b < BLOCKS.length; b++) {
            int in = BLOCKS[b][0];
            for (int i = 1; i < BLOCKS[b].length; i++) {
                int f = BLOCKS[b][i];
                out.add(new Layer("conv" + (b + 1) + "_" + i + "@" + inputSize, in, f, size));
                in = f;
            }
            size /= 2;
        }
        return out;
    }

    public static Layer layer(String name) {
        int at = name.indexOf('@');
        if (at < 0) {
            throw new IllegalArgumentException("layer '" + name + "': expected a name like conv3_2@32");
        }
        for (Layer l : layers(Integer.parseInt(name.substring(at + 1)))) {
            if (l.name().equals(name)) {
                return l;
            }
        }
        throw new IllegalArgumentException("layer '" + name + "' is not one of VGG16's conv layers (conv1_1 .. conv5_3)");
    }

    /** Forward, backward-data and backward-weight GEMMs of a layer at a batch size. */
    public static List<GemmShape> gemms(Layer layer, int batch) {
        int p = layer.positions();
        int chunk = Math.max(1, Math.min(batch, TARGET_COLUMNS / p));
        int width = chunk * p;
        int ckk = layer.c() * 9;
        String base = layer.name() + "/b" + batch;
        return List.of(
                new GemmShape(base + "/fwd", layer.f(), width, ckk, false, false),
                new GemmShape(base + "/bwd-data", ckk, width, layer.f(), true, false),
                new GemmShape(base + "/bwd-weight", layer.f(), ckk, width, false, true));
    }

    /** Every GEMM named by the benchmarks: squares, then each layer's at 32 and 50 px, batch 32 and 128. */
    public static Map<String, GemmShape> allGemms() {
        Map<String, GemmShape> all = new LinkedHashMap<>();
        for (int s : new int[] {256, 512, 1024, 2048}) {
            all.put("square/" + s, new GemmShape("square/" + s, s, s, s, false, false));
        }
        for (int size : new int[] {32, 50}) {
            for (int batch : new int[] {32, 128}) {
                for (Layer l : layers(size)) {
                    for (GemmShape g : gemms(l, batch)) {
                        all.put(g.name(), g);
                    }
                }
            }
        }
        return all;
    }

    public static GemmShape gemm(String name) {
        GemmShape g = allGemms().get(name);
        if (g == null) {
            throw new IllegalArgumentException("GEMM shape '" + name
                    + "' unknown: expected square/256..2048 or <layer>@<px>/b<batch>/<fwd|bwd-data|bwd-weight>");
        }
        return g;
    }
}
