package dev.vgg4j.model;

import dev.vgg4j.model.io.CheckpointException;
import dev.vgg4j.model.io.SafeTensorsFile;
import dev.vgg4j.model.io.TensorEntry;
import dev.vgg4j.spi.Backend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A VGG from a plain PyTorch state dict: torchvision's keys ({@code features.N.*},
 * {@code classifier.N.*}), no vgg4j metadata, e.g. {@code vgg16_bn}'s pretrained weights saved
 * with {@code safetensors.torch.save_file(model.state_dict(), path)}. The architecture is read
 * from the keys and shapes:
 * <ul>
 *   <li>{@code features}: a 4-d weight at index {@code i} is a 3x3 conv (its output channels are
 *       the config list's entry), batch norm when {@code i+1} has a {@code running_mean}; the
 *       ReLU after it has no keys, and every other index without keys is a max-pool. torchvision's
 *       lists all end with a max-pool, which has no keys either, so one is appended.</li>
 *   <li>{@code classifier.0/3/6}: the hidden size and the class count; the first Linear's inputs
 *       tell the layout: {@code C * 7 * 7} is torchvision's (an adaptive 7x7 pool first),
 *       {@code C * h * w} of the last feature map at the given image size the recipe's.</li>
 * </ul>
 * A {@code module.} key prefix (as {@code DataParallel} saves) is removed; F16, BF16 and
 * F64 tensors convert to float32. What the keys cannot say comes from the caller (the input size)
 * or has torchvision's value (dropout 0.5).
 */
public final class TorchvisionImport {
    private static final String PREFIX = "module.";
    private static final String FEATURES = "features.";
    private static final String CLASSIFIER = "classifier.";

    private TorchvisionImport() {}

    /** The file's tensors, a {@code module.} prefix removed from each key that has one. */
    public static Map<String, TensorEntry> stateDict(SafeTensorsFile file) {
        Map<String, TensorEntry> out = new LinkedHashMap<>();
        for (TensorEntry t : file.tensors().values()) {
            boolean prefixed = t.name().startsWith(PREFIX);
            String key = prefixed ? t.name().substring(PREFIX.length()) : t.name();
            out.put(key, prefixed ? t.renamed(key) : t);
        }
        return out;
    }

    /** The VGG the state dict holds, for images of {@code imageHeight x imageWidth}; seed 0. */
    public static VggConfig config(SafeTensorsFile file, int imageHeight, int imageWidth) throws CheckpointException {
        String source = file.file().toString();
        Map<String, TensorEntry> dict = stateDict(file);
        int last = -1;
        for (String key : dict.keySet()) {
            if (key.startsWith(FEATURES)) {
                last = Math.max(last, index(key, FEATURES, source));
            }
        }
        if (last < 0) {
            throw new CheckpointException(source + ": has no features.N tensors: not a torchvision VGG state dict"
                    + " (keys " + new TreeSet<>(dict.keySet()).stream().limit(5).toList() + " ...)");
        }
        List<Object> layers = new ArrayList<>();
        Boolean batchNorm = null;
        int channels = -1;
        int inChannels = -1;
        for (int i = 0; i <= last; ) {
            TensorEntry weight = dict.get(FEATURES + i + ".weight");
            if (weight == null) {
                layers.add("M");
                i++;
                continue;
            }
            int[] s = weight.shape();
            if (s.length != 4 || s[2] != 3 || s[3] != 3 || (channels > 0 && s[1] != channels)) {
                throw new CheckpointException(source + ": tensor '" + weight.name() + "' has shape "
                        + Arrays.toString(s) + ", expected a 3x3 conv weight [out, "
                        + (channels > 0 ? channels : "in") + ", 3, 3]");
            }
            if (inChannels < 0) {
                inChannels = s[1];
            }
            boolean bn = dict.containsKey(FEATURES + (i + 1) + ".running_mean");
            if (batchNorm != null && bn != batchNorm) {
                throw new CheckpointException(source + ": the conv at features." + i + (bn ? " has" : " has no")
                        + " batch norm after it, unlike the first: a VGG has it after every conv or none");
            }
            batchNorm = bn;
            channels = s[0];
            layers.add(channels);
            i += bn ? 3 : 2;
        }
        layers.add("M");
        int[] first = linear(dict, 0, source);
        int hidden = first[0];
        expectShape(dict, CLASSIFIER + "3.weight", new int[] {hidden, hidden}, source);
        int classes = linear(dict, 6, source)[0];
        expectShape(dict, CLASSIFIER + "6.weight", new int[] {classes, hidden}, source);
        VggConfig shaped = VggConfig.ofChannels(layers);
        VggConfig config = shaped.withBatchNorm(batchNorm).withInChannels(inChannels)
                .withImageSize(imageHeight, imageWidth).withNumClasses(classes)
                .withHidden(hidden == shaped.hiddenSize() ? 0 : hidden).withClassifier(ClassifierLayout.TORCHVISION);
        if (first[1] == config.classifierInputs()) {
            return config;
        }
        VggConfig recipe = config.withClassifier(ClassifierLayout.RECIPE);
        if (first[1] == recipe.classifierInputs()) {
            return recipe;
        }
        throw new CheckpointException(source + ": tensor 'classifier.0.weight' has shape " + Arrays.toString(first)
                + ", expected [" + hidden + ", " + config.classifierInputs() + "] (torchvision's classifier after a 7x7"
                + " pool) or [" + hidden + ", " + recipe.classifierInputs() + "] (the recipe's at " + imageHeight
                + "x" + imageWidth + " input; is --image-size right?)");
    }

    /** Builds the VGG the state dict holds (see {@link #config}) and loads its weights. */
    public static Vgg load(Backend backend, SafeTensorsFile file, int imageHeight, int imageWidth)
            throws CheckpointException {
        Vgg vgg = config(file, imageHeight, imageWidth).create(backend);
        try {
            vgg.loadStateDict(withBatchCounters(stateDict(file)), file.file().toString());
            return vgg;
        } catch (CheckpointException | RuntimeException e) {
            vgg.close();
            throw e;
        }
    }

    /**
     * {@code dict} with {@code num_batches_tracked = 0} for every batch norm that lacks it (state
     * dicts of PyTorch before 0.4.1), as PyTorch's own loading does.
     */
    public static Map<String, TensorEntry> withBatchCounters(Map<String, TensorEntry> dict) {
        Map<String, TensorEntry> out = new LinkedHashMap<>(dict);
        for (String key : dict.keySet()) {
            if (key.endsWith(".running_mean")) {
                String counter = key.substring(0, key.length() - "running_mean".length()) + "num_batches_tracked";
                out.putIfAbsent(counter, TensorEntry.i64(counter, new int[0], new long[] {0}));
            }
        }
        return out;
    }

    /** The {@code [out, in]} shape of {@code classifier.k.weight}. */
    private static int[] linear(Map<String, TensorEntry> dict, int k, String source) throws CheckpointException {
        TensorEntry w = dict.get(CLASSIFIER + k + ".weight");
        if (w == null) {
            throw new CheckpointException(source + ": has no tensor 'classifier." + k
                    + ".weight': not a torchvision VGG state dict");
        }
        if (w.shape().length != 2 || !w.dtype().isFloat()) {
            throw new CheckpointException(source + ": tensor '" + w.name() + "' is " + w.dtype() + " "
                    + Arrays.toString(w.shape()) + ", expected a float Linear weight [out, in]");
        }
        return w.shape();
    }

    private static void expectShape(Map<String, TensorEntry> dict, String key, int[] expected, String source)
            throws CheckpointException {
        TensorEntry t = dict.get(key);
        if (t == null) {
            throw new CheckpointException(source + ": has no tensor '" + key + "': not a torchvision VGG state dict");
        }
        if (!Arrays.equals(t.shape(), expected)) {
            throw new CheckpointException(source + ": tensor '" + key + "' has shape " + Arrays.toString(t.shape())
                    + ", expected " + Arrays.toString(expected));
        }
    }

    private static int index(String key, String prefix, String source) throws CheckpointException {
        int dot = key.indexOf('.', prefix.length());
        try {
            return Integer.parseInt(key.substring(prefix.length(), dot < 0 ? key.length() : dot));
        } catch (NumberFormatException e) {
            throw new CheckpointException(source + ": key '" + key + "' is not " + prefix + "N.*");
        }
    }
}
