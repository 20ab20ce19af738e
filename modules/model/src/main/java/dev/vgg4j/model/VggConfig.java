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
 * multiplier, input channels, input image height and width, number of classes, the init seed, and
 * the classifier: its dropout probability, hidden size and {@link ClassifierLayout layout}.
 *
 * <p>{@link #named(String)} knows torchvision's configs {@code vgg11/13/16/19} and their {@code _bn}
 * variants; the recipe is {@link #recipe()} ({@code vgg16_bn}, 3x50x50 inputs, 10 classes).
 * Records are immutable: use the {@code with*} methods to derive variants.
 *
 * @param model the config's name without {@code _bn}, e.g. {@code vgg16}, or {@code custom}
 * @param layers the recipe's config list, e.g. {@code [64, 64, "M", 128, ...]}
 * @param width multiplier of every channel count, and of the classifier's 4096 unless {@code hidden} is set
 * @param imageHeight height of the input images
 * @param imageWidth width of the input images
 * @param dropout probability of each classifier Dropout, in {@code [0, 1)}; 0 turns them off
 * @param hidden the classifier's hidden size, or 0 for {@code round(4096 * width)}
 * @param classifier the classifier's layer order
 */
public record VggConfig(String model, List<Object> layers, boolean batchNorm, double width, int inChannels,
                        int imageHeight, int imageWidth, int numClasses, long seed, float dropout, int hidden,
                        ClassifierLayout classifier) implements ModelConfig {

    private static final String M = "M";
    private static final Map<String, List<Object>> NAMED = Map.of(
            "vgg11", List.of(64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M),
            "vgg13", List.of(64, 64, M, 128, 128, M, 256, 256, M, 512, 512, M, 512, 512, M),
            "vgg16", List.of(64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512, M),
            "vgg19", List.of(64, 64, M, 128, 128, M, 256, 256, 256, 256, M, 512, 512, 512, 512, M,
                    512, 512, 512, 512, M));

    /** The classifier's hidden width before the width multiplier. */
    static final int HIDDEN = 4096;
    /** torchvision's classifier dropout, and the recipe's. */
    static final float DROPOUT = 0.5f;
    /** The side of the map torchvision's classifier pools the features to. */
    static final int TORCHVISION_POOL = 7;

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
        if (!(dropout >= 0f && dropout < 1f)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        if (hidden < 0) {
            throw new IllegalArgumentException("hidden size must be >= 1 (or 0 for 4096 x width), got " + hidden);
        }
        if (classifier == null) {
            throw new IllegalArgumentException("classifier layout must be given (recipe or torchvision)");
        }
        long pools = layers.stream().filter(M::equals).count();
        if (pools >= 31 || Math.min(imageHeight, imageWidth) >> pools < 1) {
            throw new IllegalArgumentException("image size " + imageHeight + "x" + imageWidth + " is too small for "
                    + model + "'s " + pools + " max-pools (each halves it; at least " + (1L << Math.min(pools, 30))
                    + " needed)");
        }
    }

    /**
     * A torchvision config by name: {@code vgg11}, {@code vgg13}, {@code vgg16}, {@code vgg19}, each
     * optionally with {@code _bn}; 3x32x32 inputs, 10 classes, width 1, seed 0, the recipe's
     * classifier with dropout 0.5.
     */
    public static VggConfig named(String name) {
        boolean bn = name.endsWith("_bn");
        String model = bn ? name.substring(0, name.length() - 3) : name;
        List<Object> layers = NAMED.get(model);
        if (layers == null) {
            throw new IllegalArgumentException("unknown VGG model '" + name + "'; expected one of " + names());
        }
        return of(model, layers, bn);
    }

    /** A network from the recipe's kind of config list, e.g. {@code [64, "M", 128, "M"]}; BN on, 3x32x32, 10 classes. */
    public static VggConfig custom(List<Object> layers) {
        return of("custom", layers, true);
    }

    /**
     * The config whose channel counts are {@code channels} (a config list after the width
     * multiplier): a torchvision model at the width that scales its list to these counts, or a
     * {@code custom} one at width 1. BN on, 3x32x32, 10 classes, as {@link #named}.
     */
    static VggConfig ofChannels(List<Object> channels) {
        for (Map.Entry<String, List<Object>> e : NAMED.entrySet()) {
            List<Object> named = e.getValue();
            if (named.size() == channels.size() && channels.getFirst() instanceof Integer first) {
                VggConfig scaled = of(e.getKey(), named, true).withWidth(first / (double) (Integer) named.getFirst());
                if (scaled.scaledLayers().equals(channels)) {
                    return scaled;
                }
            }
        }
        return custom(channels);
    }

    /** The config list after the width multiplier. */
    List<Object> scaledLayers() {
        return layers.stream().map(o -> o instanceof Integer c ? (Object) scaled(c) : o).toList();
    }

    private static VggConfig of(String model, List<Object> layers, boolean batchNorm) {
        return new VggConfig(model, layers, batchNorm, 1.0, 3, 32, 32, 10, 0L, DROPOUT, 0, ClassifierLayout.RECIPE);
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
    public Vgg create(Backend backend) {
        return Vgg.create(backend, this);
    }

    @Override
    public Map<String, Shape> parameterShapes() {
        return VggLayout.parameterShapes(this);
    }

    public VggConfig withBatchNorm(boolean v) {
        return new VggConfig(model, layers, v, width, inChannels, imageHeight, imageWidth, numClasses, seed, dropout,
                hidden, classifier);
    }

    public VggConfig withWidth(double v) {
        return new VggConfig(model, layers, batchNorm, v, inChannels, imageHeight, imageWidth, numClasses, seed,
                dropout, hidden, classifier);
    }

    @Override
    public VggConfig withInChannels(int v) {
        return new VggConfig(model, layers, batchNorm, width, v, imageHeight, imageWidth, numClasses, seed, dropout,
                hidden, classifier);
    }

    /** Square images of side {@code v}. */
    public VggConfig withImageSize(int v) {
        return withImageSize(v, v);
    }

    @Override
    public VggConfig withImageSize(int height, int width) {
        return new VggConfig(model, layers, batchNorm, this.width, inChannels, height, width, numClasses, seed,
                dropout, hidden, classifier);
    }

    @Override
    public VggConfig withNumClasses(int v) {
        return new VggConfig(model, layers, batchNorm, width, inChannels, imageHeight, imageWidth, v, seed, dropout,
                hidden, classifier);
    }

    @Override
    public VggConfig withSeed(long v) {
        return new VggConfig(model, layers, batchNorm, width, inChannels, imageHeight, imageWidth, numClasses, v,
                dropout, hidden, classifier);
    }

    /** The probability of the classifier's Dropouts; 0 makes them the identity. */
    public VggConfig withDropout(float v) {
        return new VggConfig(model, layers, batchNorm, width, inChannels, imageHeight, imageWidth, numClasses, seed, v,
                hidden, classifier);
    }

    /** The classifier's hidden size (0: {@code round(4096 * width)}). */
    public VggConfig withHidden(int v) {
        return new VggConfig(model, layers, batchNorm, width, inChannels, imageHeight, imageWidth, numClasses, seed,
                dropout, v, classifier);
    }

    public VggConfig withClassifier(ClassifierLayout v) {
        return new VggConfig(model, layers, batchNorm, width, inChannels, imageHeight, imageWidth, numClasses, seed,
                dropout, hidden, v);
    }

    /** A channel count after the width multiplier: {@code max(1, round(channels * width))}. */
    public int scaled(int channels) {
        return (int) Math.max(1, Math.round(channels * width));
    }

    /** The classifier's hidden size: {@link #hidden()}, or {@code round(4096 * width)} when that is 0. */
    public int hiddenSize() {
        return hidden > 0 ? hidden : scaled(HIDDEN);
    }

    /** Height of the feature map after the last max-pool: 1 for 32 and 50, 7 for 224. */
    public int finalHeight() {
        return imageHeight >> pools();
    }

    /** Width of the feature map after the last max-pool. */
    public int finalWidth() {
        return imageWidth >> pools();
    }

    private int pools() {
        return (int) layers.stream().filter(M::equals).count();
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

    /** Inputs of the classifier's first Linear: the flattened feature map, pooled to 7x7 for torchvision's layout. */
    public int classifierInputs() {
        return classifier == ClassifierLayout.TORCHVISION
                ? finalChannels() * TORCHVISION_POOL * TORCHVISION_POOL
                : finalChannels() * finalHeight() * finalWidth();
    }

    // ---------------------------------------------------------------- checkpoint metadata

    private static final String PREFIX = "vgg4j.model.";

    /**
     * The config as checkpoint metadata ({@code vgg4j.model.*} keys). The image size is {@code S}
     * for square images and {@code HxW} otherwise; {@code hidden} is written only when set.
     */
    @Override
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(FAMILY_KEY, family());
        m.put(NAME_KEY, model);
        m.put(PREFIX + "layers", String.join(",", layers.stream().map(String::valueOf).toList()));
        m.put(PREFIX + "batch_norm", Boolean.toString(batchNorm));
        m.put(PREFIX + "width", Double.toString(width));
        m.put(PREFIX + "in_channels", Integer.toString(inChannels));
        m.put(PREFIX + "image_size", imageHeight == imageWidth ? Integer.toString(imageHeight)
                : imageHeight + "x" + imageWidth);
        m.put(PREFIX + "num_classes", Integer.toString(numClasses));
        m.put(PREFIX + "seed", Long.toString(seed));
        m.put(PREFIX + "dropout", Float.toString(dropout));
        if (hidden > 0) {
            m.put(PREFIX + "hidden", Integer.toString(hidden));
        }
        m.put(PREFIX + "classifier", classifier.label());
        return m;
    }

    /**
     * The config stored by {@link #toMetadata}; missing or bad values name {@code source}.
     * Checkpoints written before the classifier was configurable (no dropout, hidden or classifier
     * key) hold the recipe's classifier with dropout 0.5.
     */
    public static VggConfig fromMetadata(Map<String, String> metadata, String source) throws CheckpointException {
        try {
            List<Object> layers = new ArrayList<>();
            for (String s : get(metadata, "layers", source).split(",")) {
                layers.add(M.equals(s) ? M : Integer.valueOf(s));
            }
            int[] size = ImageSizes.parse(get(metadata, "image_size", source));
            return new VggConfig(get(metadata, NAME_KEY, source), layers,
                    Boolean.parseBoolean(get(metadata, "batch_norm", source)),
                    Double.parseDouble(get(metadata, "width", source)),
                    Integer.parseInt(get(metadata, "in_channels", source)),
                    size[0], size[1],
                    Integer.parseInt(get(metadata, "num_classes", source)),
                    Long.parseLong(get(metadata, "seed", source)),
                    Float.parseFloat(metadata.getOrDefault(PREFIX + "dropout", Float.toString(DROPOUT))),
                    Integer.parseInt(metadata.getOrDefault(PREFIX + "hidden", "0")),
                    ClassifierLayout.parse(metadata.getOrDefault(PREFIX + "classifier",
                            ClassifierLayout.RECIPE.label())));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(source + ": bad model config in metadata: " + e.getMessage());
        }
    }

    private static String get(Map<String, String> metadata, String key, String source) throws CheckpointException {
        String full = key.startsWith(PREFIX) ? key : PREFIX + key;
        String v = metadata.get(full);
        if (v == null) {
            throw new CheckpointException(source + ": metadata has no " + full + " (not a vgg4j model checkpoint?)");
        }
        return v;
    }

    @Override
    public String toString() {
        return name() + (model.equals("custom") ? " " + layers : "") + " width " + width + ", " + inChannels + "x"
                + imageHeight + "x" + imageWidth + " -> " + numClasses + " classes, seed " + seed
                + (dropout != DROPOUT ? ", dropout " + dropout : "")
                + (hidden > 0 ? ", hidden " + hidden : "")
                + (classifier != ClassifierLayout.RECIPE ? ", " + classifier.label() + " classifier" : "");
    }
}
