package dev.vgg4j.tck;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The convolution shapes of VGG16 (cfg 64,64,M,128,128,M,256x3,M,512x3,M,512x3,M) and awkward ones. */
public final class VggShapes {
    /** VGG16's feature extractor; 0 stands for a 2x2 max-pool. */
    public static final int[] VGG16 = {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0};

    private VggShapes() {}

    /** Every distinct 3x3/s1/p1 conv layer of VGG16 for a square RGB input of {@code size}, at batch {@code n}. */
    public static List<ConvCase> vgg16Convs(int size, int n) {
        Set<ConvCase> cases = new LinkedHashSet<>();
        int channels = 3;
        for (int layer : VGG16) {
            if (layer == 0) {
                size /= 2;
            } else {
                cases.add(new ConvCase(n, channels, size, size, layer, 3, 1, 1));
                channels = layer;
            }
        }
        return List.copyOf(cases);
    }

    /** 1x1 and 3x3 spatial sizes, odd sizes (7, 25), channels not multiples of 8, stride 2, 1x1 kernels, no padding. */
    public static List<ConvCase> awkwardConvs() {
        return List.of(
                new ConvCase(1, 3, 1, 1, 5, 3, 1, 1),
                new ConvCase(2, 5, 3, 3, 7, 3, 1, 1),
                new ConvCase(1, 13, 7, 7, 11, 3, 1, 1),
                new ConvCase(2, 3, 25, 25, 17, 3, 1, 1),
                new ConvCase(1, 6, 7, 9, 10, 3, 2, 1),
                new ConvCase(2, 9, 5, 5, 3, 1, 1, 0),
                new ConvCase(1, 4, 8, 6, 5, 3, 1, 0),
                new ConvCase(1, 2, 9, 9, 3, 5, 2, 2));
    }

    /** The VGG16 convs at 32x32 (CIFAR) and 50x50 (the recipe's resize), batch 1, then the awkward ones. */
    public static List<ConvCase> allConvs() {
        List<ConvCase> all = new ArrayList<>(vgg16Convs(32, 1));
        all.addAll(vgg16Convs(50, 1));
        all.addAll(awkwardConvs());
        return all;
    }
}
