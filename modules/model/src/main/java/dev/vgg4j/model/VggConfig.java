package dev.vgg4j.model;

import dev.vgg4j.core.Shape;
import dev.vgg4j.model.io.CheckpointException;
import dev.vgg4j.spi.Backend;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Everything that defines a VGG network, as in the recipe: the feature config list ({@code Integer}
 * output channels of a 3x3 conv block, {@code "M"} a 2x2 max-pool), batch norm on or off, a width
 * multiplier, input channels, input image size (square), number of classes and the init seed.
 *
 * <p>{@link #named(String)} knows torchvision's configs {@code vgg11/13/16/19} and their {@code _bn}
 * variants; the recipe is {@link #recipe()} ({@code vgg16_bn}, 3x50x50 inputs, 10 classes).
 * Records are immutable: use the {@code with*} methods to derive variants.
 *
 * @param model the config's name without {@code _bn}, e.g. {@code vgg16}, or {@code custom}
 * @param layers the recipe's config list, e.g. {@code [64, 64, "M", 128, ...]}
 * @param width multiplier of every channel count and of the classifier's 4096 (each at least 1)
 * @param imageSize height and width of the input images; sets the classifier's input size
 */
public record VggConfig(String model, List<Object> layers, boolean batchNorm, double width, int inChannels,
                        int imageSize, int numClasses, long seed) implements ModelConfig {

    private static final String M = "M";
    private static final Map<String, List<Object>> NAMED = Map.of(
            "vgg11", List.of(64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M),
            "vgg13", List.of(64, 64, M, 128, 128, M, 256, 256, M, 512, 512, M, 512, 512, M),
            "vgg16", List.of(64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512, M),
            "vgg19", List.of(64, 64, M, 128, 128, M, 256, 256, 256, 256, M, 512, 512, 512, 512, M,
                    512, 512, 512, 512, M));

    /** The classifier's hidden width before the width multiplier. */
    static final int HIDDEN = 4096;

    public VggConfig {
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("VGG config list is empty");
        }
        for (Object o : layers) {
            if (!(o instanceof Integer c && c > 0) && !M.equals(o)) {
                throw new IllegalArgumentException("VGG config list " + layers + ": element " + o
                        + " is neither a positive channel count nor \"M\"");
            }
        }
        if (!(width > 0 && width <= 16)) {
            throw new IllegalArgumentException("width multiplier must be in (0, 16], got " + width);
        }
        if (inChannels < 1) {
            throw new IllegalArgumentException("inChannels must be >= 1 (1 grey, 3 RGB), got " + inChannels);
        }
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
        }
        int s = imageSize;
        for (Object o : layers) {
            if (M.equals(o)) {
                if (s < 2) {
                    throw new IllegalArgumentException("image size " + imageSize + " is too small for " + model
                            + "'s " + layers.stream().filter(M::equals).count() + " max-pools (each halves it)");
                }
                s /= 2;
            }
        }
    }

    /**
     * A torchvision config by name: {@code vgg11}, {@code vgg13}, {@code vgg16}, {@code vgg19}, each
     * optionally with {@code _bn}; 3x32x32 inputs, 10 classes, width 1, seed 0.
     */
    public static VggConfig named(String name) {
        boolean bn = name.endsWith("_bn");
        String model = bn ? name.substring(0, name.length() - 3) : name;
        List<Object> layers = NAMED.get(model);
        if (layers == null) {
            throw new IllegalArgumentException("unknown VGG model '" + name + "'; expected one of " + names());
        }
        return new VggConfig(model, layers, bn, 1.0, 3, 32, 10, 0L);
    }

    /** A network from the recipe's kind of config list, e.g. {@code [64, "M", 128, "M"]}; BN on, 3x32x32, 10 classes. */
    public static VggConfig custom(List<Object> layers) {
        return new VggConfig("custom", layers, true, 1.0, 3, 32, 10, 0L);
    }

    /** The recipe's model: vgg16_bn on CIFAR-10 resized to 50x50. */
    public static VggConfig recipe() {
        return named("vgg16_bn").withImageSize(50);
    }

    /** The torchvision names {@link #named} knows. */
    static List<String> names() {
        return NAMED.keySet().stream().sorted().flatMap(n -> Stream.of(n, n + "_bn")).toList();
    }

    /** The name torchvision would give it, e.g. {@code vgg16_bn}. */
    @Override
    public String name() {
        return model + (batchNorm ? "_bn" : "");
    }

    @Override
    public String family() {
        return VggFamily.NAME;
    }

    @Override
    public int imageHeight() {
        return imageSize;
    }

    @Override
    public int imageWidth() {
        return imageSize;
    }

    @Override
    public Vgg create(Backend backend) {
        return Vgg.create(backend, this);
    }

    @Override
    public Map<String, Shape> parameterShapes() {
        return VggLayout.parameterShapes(this);
    }

    /** VGG takes square images only: {@code height} must equal {@code width}. */
    @Override
    public VggConfig withImageSize(int height, int width) {
        if (height != width) {
            throw new IllegalArgumentException(name() + " takes square images, got " + height + "x" + width);
        }
        return withImageSize(height);
    }

    public VggConfig withBatchNorm(boolean v) {
        return new VggConfig(model, layers, v, width, inChannels, imageSize, numClasses, seed);
    }

    public VggConfig withWidth(double v) {
        return new VggConfig(model, layers, batchNorm, v, inChannels, imageSize, numClasses, seed);
    }

    @Override
    public VggConfig withInChannels(int v) {
        return new VggConfig(model, layers, batchNorm, width, v, imageSize, numClasses, seed);
    }

    public VggConfig withImageSize(int v) {
        return new VggConfig(model, layers, batchNorm, width, inChannels, v, numClasses, seed);
    }

    @Override
    public VggConfig withNumClasses(int v) {
        return new VggConfig(model, layers, batchNorm, width, inChannels, imageSize, v, seed);
    }

    @Override
    public VggConfig withSeed(long v) {
        return new VggConfig(model, layers, batchNorm, width, inChannels, imageSize, numClasses, v);
    }

    /** A channel count after the width multiplier: {@code max(1, round(channels * width))}. */
    public int scaled(int channels) {
        return (int) Math.max(1, Math.round(channels * width));
    }

    /** Height (= width) of the feature map after the last max-pool: 1 for 32 and 50, 7 for 224. */
    public int finalSpatialSize() {
        int s = imageSize;
        for (Object o : layers) {
            if (M.equals(o)) {
                s /= 2;
            }
        }
        return s;
    }

    /** Output channels of the last conv block, after the width multiplier. */
    public int finalChannels() {
        int c = inChannels;
        for (Object o : layers) {
            if (o instanceof Integer ch) {
                c = scaled(ch);
            }
        }
        return c;
    }

    // ---------------------------------------------------------------- checkpoint metadata

    private static final String PREFIX = "vgg4j.model.";

    /** The config as checkpoint metadata ({@code vgg4j.model.*} keys). */
    @Override
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(FAMILY_KEY, family());
        m.put(NAME_KEY, model);
        m.put(PREFIX + "layers", String.join(",", layers.stream().map(String::valueOf).toList()));
        m.put(PREFIX + "batch_norm", Boolean.toString(batchNorm));
        m.put(PREFIX + "width", Double.toString(width));
        m.put(PREFIX + "in_channels", Integer.toString(inChannels));
        m.put(PREFIX + "image_size", Integer.toString(imageSize));
        m.put(PREFIX + "num_classes", Integer.toString(numClasses));
        m.put(PREFIX + "seed", Long.toString(seed));
        return m;
    }

    /** The config stored by {@link #toMetadata}; missing or bad values name {@code source}. */
    public static VggConfig fromMetadata(Map<String, String> metadata, String source) throws CheckpointException {
        try {
            List<Object> layers = new ArrayList<>();
            for (String s : get(metadata, "layers", source).split(",")) {
                layers.add(M.equals(s) ? M : Integer.valueOf(s));
            }
            return new VggConfig(get(metadata, "name", source), layers,
                    Boolean.parseBoolean(get(metadata, "batch_norm", source)),
                    Double.parseDouble(get(metadata, "width", source)),
                    Integer.parseInt(get(metadata, "in_channels", source)),
                    Integer.parseInt(get(metadata, "image_size", source)),
                    Integer.parseInt(get(metadata, "num_classes", source)),
                    Long.parseLong(get(metadata, "seed", source)));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(source + ": bad model config in metadata: " + e.getMessage());
        }
    }

    private static String get(Map<String, String> metadata, String key, String source) throws CheckpointException {
        String v = metadata.get(PREFIX + key);
        if (v == null) {
            throw new CheckpointException(source + ": metadata has no " + PREFIX + key + " (not a vgg4j model checkpoint?)");
        }
        return v;
    }

    @Override
    public String toString() {
        return name() + (model.equals("custom") ? " " + layers : "") + " width " + width + ", " + inChannels + "x"
                + imageSize + "x" + imageSize + " -> " + numClasses + " classes, seed " + seed;
    }
}
