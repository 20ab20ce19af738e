package dev.vgg4j.model;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Backend;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The layers of a VGG as plain descriptions, before any memory is allocated: the one place that
 * decides layer order, sizes and torchvision state-dict names. {@link Vgg} builds from it, and
 * parameter shapes and counts come from it without allocating (vgg16_bn at 224x224 has 138 M).
 *
 * <p>Features, as torchvision's {@code make_layers}: each channel count {@code c} becomes
 * {@code Conv2d} (index i), {@code BatchNorm2d} (i+1, when batchNorm), {@code ReLU}; each "M" a
 * {@code MaxPool2d}; indices count every module, so vgg16_bn's convs are features.0, 3, 7, 10, ...
 *
 * <p>Classifier, see {@link ClassifierLayout}: the recipe's order is Flatten, Dropout, Linear,
 * ReLU, Dropout, Linear, ReLU, Linear on the last feature map as it is; torchvision's is
 * AdaptiveAvgPool2d(7x7) (its {@code avgpool}), Flatten, then Linear(0), ReLU(1), Dropout(2),
 * Linear(3), ReLU(4), Dropout(5), Linear(6). In both the three Linears have torchvision's keys
 * {@code classifier.0/3/6}, so torchvision-layout weights load into torchvision's VGG at any input
 * size, and recipe-layout weights wherever the last map is 7x7 (224x224 input).
 */
final class VggLayout {
    private VggLayout() {}

    private static final int[] TORCHVISION_LINEAR_INDEX = {0, 3, 6};

    /** One layer to build. */
    sealed interface Item {
        Layer build(Backend backend, long seed, DropoutSeeds dropoutSeeds);

        /** The trainable parameters' names and shapes, in state-dict order. */
        default Map<String, Shape> parameterShapes() {
            return Map.of();
        }
    }

    record ConvItem(String name, int in, int out) implements Item {
        @Override
        public Layer build(Backend backend, long seed, DropoutSeeds dropoutSeeds) {
            return new Conv2d(backend, name, in, out, seed);
        }

        @Override
        public Map<String, Shape> parameterShapes() {
            return weightAndBias(name, Shape.nchw(out, in, 3, 3));
        }
    }

    record BatchNormItem(String name, int channels) implements Item {
        @Override
        public Layer build(Backend backend, long seed, DropoutSeeds dropoutSeeds) {
            return new BatchNorm2d(backend, name, channels);
        }

        @Override
        public Map<String, Shape> parameterShapes() {
            return weightAndBias(name, Shape.of(channels));
        }
    }

    record LinearItem(String name, int in, int out) implements Item {
        @Override
        public Layer build(Backend backend, long seed, DropoutSeeds dropoutSeeds) {
            return new Linear(backend, name, in, out, seed);
        }

        @Override
        public Map<String, Shape> parameterShapes() {
            return weightAndBias(name, Shape.matrix(out, in));
        }
    }

    record ReluItem() implements Item {
        @Override
        public Layer build(Backend backend, long seed, DropoutSeeds dropoutSeeds) {
            // In place is safe: every ReLU follows a Conv2d, BatchNorm2d or Linear (see ReLU).
            return new ReLU(backend, true);
        }
    }

    record MaxPoolItem() implements Item {
        @Override
        public Layer build(Backend backend, long seed, DropoutSeeds dropoutSeeds) {
            return new MaxPool2d(backend);
        }
    }

    record AdaptiveAvgPoolItem(int height, int width) implements Item {
        @Override
        public Layer build(Backend backend, long seed, DropoutSeeds dropoutSeeds) {
            return new AdaptiveAvgPool2d(backend, height, width);
        }
    }

    record FlattenItem() implements Item {
        @Override
        public Layer build(Backend backend, long seed, DropoutSeeds dropoutSeeds) {
            return new Flatten();
        }
    }

    record DropoutItem(float p) implements Item {
        @Override
        public Layer build(Backend backend, long seed, DropoutSeeds dropoutSeeds) {
            return new Dropout(backend, p, dropoutSeeds);
        }
    }

    static List<Item> features(VggConfig config) {
        List<Item> items = new ArrayList<>();
        int in = config.inChannels();
        for (Object o : config.layers()) {
            int index = items.size();
            if (o instanceof Integer channels) {
                int out = config.scaled(channels);
                items.add(new ConvItem("features." + index, in, out));
                if (config.batchNorm()) {
                    items.add(new BatchNormItem("features." + (index + 1), out));
                }
                items.add(new ReluItem());
                in = out;
            } else {
                items.add(new MaxPoolItem());
            }
        }
        return items;
    }

    static List<Item> classifier(VggConfig config) {
        int hidden = config.hiddenSize();
        DropoutItem dropout = new DropoutItem(config.dropout());
        LinearItem first = new LinearItem(linearName(0), config.classifierInputs(), hidden);
        LinearItem second = new LinearItem(linearName(1), hidden, hidden);
        LinearItem last = new LinearItem(linearName(2), hidden, config.numClasses());
        return switch (config.classifier()) {
            case RECIPE -> List.of(new FlattenItem(), dropout, first, new ReluItem(), dropout, second, new ReluItem(),
                    last);
            case TORCHVISION -> List.of(
                    new AdaptiveAvgPoolItem(VggConfig.TORCHVISION_POOL, VggConfig.TORCHVISION_POOL), new FlattenItem(),
                    first, new ReluItem(), dropout, second, new ReluItem(), dropout, last);
        };
    }

    /** Names and shapes of every trainable parameter, in state-dict order. */
    static Map<String, Shape> parameterShapes(VggConfig config) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        features(config).forEach(i -> shapes.putAll(i.parameterShapes()));
        classifier(config).forEach(i -> shapes.putAll(i.parameterShapes()));
        return shapes;
    }

    private static String linearName(int k) {
        return "classifier." + TORCHVISION_LINEAR_INDEX[k];
    }

    private static Map<String, Shape> weightAndBias(String name, Shape weight) {
        Map<String, Shape> m = new LinkedHashMap<>();
        m.put(name + ".weight", weight);
        m.put(name + ".bias", Shape.of(weight.dim(0)));
        return m;
    }
}
