package dev.vgg4j.model;

import dev.vgg4j.core.CounterRng;
import dev.vgg4j.core.Shape;
import dev.vgg4j.core.ShapeException;
import dev.vgg4j.model.io.CheckpointException;
import dev.vgg4j.model.io.SafeTensors;
import dev.vgg4j.model.io.SafeTensorsFile;
import dev.vgg4j.model.io.TensorEntry;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A VGG network on a backend: images {@code [N, inChannels, S, S]} -> logits {@code [N, numClasses]}.
 * Layer order and state-dict names are described in {@link VggLayout}'s comment: features exactly
 * as torchvision's {@code vgg*_bn}, the classifier in the recipe's order with torchvision's keys.
 *
 * <p>It starts in training mode, as a PyTorch module does. Each training forward draws one seed
 * per Dropout layer from the model's {@link DropoutSeeds}, whose state is saved in checkpoints.
 */
public final class Vgg implements Layer {
    /** Metadata key of the dropout seed counter in checkpoints. */
    public static final String DROPOUT_STATE_KEY = "vgg4j.model.dropout_seed_state";
    private static final long DROPOUT_STREAM = 0x64726F706F7574L; // "dropout": keeps masks independent of init

    private final Backend backend;
    private final VggConfig config;
    private final DropoutSeeds dropoutSeeds;
    private final Sequential features;
    private final Sequential classifier;
    private boolean training = true;

    private Vgg(Backend backend, VggConfig config) {
        this.backend = backend;
        this.config = config;
        this.dropoutSeeds = new DropoutSeeds(CounterRng.hash(config.seed(), DROPOUT_STREAM));
        List<Layer> built = new ArrayList<>();
        try {
            this.features = new Sequential(build(VggLayout.features(config), built));
            this.classifier = new Sequential(build(VggLayout.classifier(config), built));
        } catch (RuntimeException e) {
            built.forEach(Layer::close);
            throw e;
        }
    }

    /** A new network with PyTorch's default initialisation from {@code config.seed()}. */
    public static Vgg create(Backend backend, VggConfig config) {
        return new Vgg(backend, config);
    }

    /** Names and shapes of every trainable parameter in state-dict order, computed without allocating. */
    public static Map<String, Shape> parameterShapes(VggConfig config) {
        return VggLayout.parameterShapes(config);
    }

    /** Number of trainable parameters, computed without allocating. */
    public static long parameterCount(VggConfig config) {
        return parameterShapes(config).values().stream().mapToLong(Shape::size).sum();
    }

    private List<Layer> build(List<VggLayout.Item> items, List<Layer> built) {
        List<Layer> layers = new ArrayList<>();
        for (VggLayout.Item item : items) {
            Layer layer = item.build(backend, config.seed(), dropoutSeeds);
            built.add(layer);
            layers.add(layer);
        }
        return layers;
    }

    public VggConfig config() {
        return config;
    }

    public Backend backend() {
        return backend;
    }

    /** Every layer, features then classifier, in forward order. */
    public List<Layer> layers() {
        List<Layer> all = new ArrayList<>(features.layers());
        all.addAll(classifier.layers());
        return List.copyOf(all);
    }

    @Override
    public Shape outputShape(Shape in) {
        int s = config.imageSize();
        if (in.rank() != 4 || in.c() != config.inChannels() || in.h() != s || in.w() != s) {
            throw new ShapeException(config.name() + ": input has shape " + in + ", expected [N, "
                    + config.inChannels() + ", " + s + ", " + s + "]");
        }
        return classifier.outputShape(features.outputShape(in));
    }

    /** images {@code [N, C, S, S]} -> logits {@code [N, numClasses]}, owned by the model. */
    @Override
    public Tensor forward(Tensor images) {
        outputShape(images.shape());
        return classifier.forward(features.forward(images));
    }

    /**
     * gradLogits {@code [N, numClasses]} -> gradient w.r.t. the images; writes every parameter's
     * gradient (overwritten).
     */
    @Override
    public Tensor backward(Tensor gradLogits) {
        return features.backward(classifier.backward(gradLogits));
    }

    /** Every trainable parameter in state-dict order. */
    @Override
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(features.parameters());
        all.addAll(classifier.parameters());
        return List.copyOf(all);
    }

    /** BatchNorm running statistics and counters. */
    @Override
    public List<Buffer> buffers() {
        return features.buffers();
    }

    @Override
    public void train(boolean training) {
        this.training = training;
        features.train(training);
        classifier.train(training);
    }

    public boolean isTraining() {
        return training;
    }

    public DropoutSeeds dropoutSeeds() {
        return dropoutSeeds;
    }

    // ---------------------------------------------------------------- state dict and checkpoints

    /** Everything in the state dict (parameters and buffers), in torchvision's order. */
    public List<Buffer> state() {
        List<Buffer> all = new ArrayList<>();
        for (Layer layer : layers()) {
            all.addAll(layer.parameters());
            all.addAll(layer.buffers());
        }
        return all;
    }

    /** Host copies of the state dict, keyed and ordered as torchvision's (waits for pending ops). */
    public Map<String, TensorEntry> stateDict() {
        Map<String, TensorEntry> dict = new LinkedHashMap<>();
        for (Buffer b : state()) {
            dict.put(b.name(), b.save());
        }
        return dict;
    }

    /**
     * Loads every state-dict key from {@code entries}. Keys outside {@code features.} and
     * {@code classifier.} are ignored (a checkpoint also holds optimizer state); a missing or
     * unknown model key, or a shape mismatch, is an error naming {@code source}.
     */
    public void loadStateDict(Map<String, TensorEntry> entries, String source) throws CheckpointException {
        List<Buffer> state = state();
        List<String> expected = state.stream().map(Buffer::name).toList();
        for (String key : entries.keySet()) {
            if ((key.startsWith("features.") || key.startsWith("classifier.")) && !expected.contains(key)) {
                throw new CheckpointException(source + ": tensor '" + key + "' is not part of " + config
                        + " (a checkpoint of another model?)");
            }
        }
        for (Buffer b : state) {
            TensorEntry e = entries.get(b.name());
            if (e == null) {
                throw new CheckpointException(source + ": has no tensor '" + b.name() + "', expected by " + config
                        + " (a checkpoint of another model?)");
            }
            b.load(e, source);
        }
    }

    /**
     * Writes a checkpoint atomically: the state dict, then {@code extraTensors} (e.g. optimizer
     * state), with metadata = the model config, the dropout seed state and {@code extraMetadata}.
     */
    public void save(Path file, Collection<TensorEntry> extraTensors, Map<String, String> extraMetadata)
            throws IOException {
        List<TensorEntry> tensors = new ArrayList<>(stateDict().values());
        tensors.addAll(extraTensors);
        Map<String, String> metadata = new LinkedHashMap<>(config.toMetadata());
        metadata.put(DROPOUT_STATE_KEY, Long.toString(dropoutSeeds.state()));
        for (Map.Entry<String, String> e : extraMetadata.entrySet()) {
            if (metadata.putIfAbsent(e.getKey(), e.getValue()) != null) {
                throw new IllegalArgumentException(file + ": metadata key " + e.getKey() + " is reserved by the model");
            }
        }
        SafeTensors.write(file, tensors, metadata);
    }

    /** Writes a checkpoint with the model alone. */
    public void save(Path file) throws IOException {
        save(file, List.of(), Map.of());
    }

    /** A new network built from a checkpoint's config metadata, with its state and dropout seed state. */
    public static Vgg load(Backend backend, SafeTensorsFile checkpoint) throws CheckpointException {
        VggConfig config = VggConfig.fromMetadata(checkpoint.metadata(), checkpoint.file().toString());
        Vgg vgg = create(backend, config);
        try {
            vgg.restore(checkpoint);
            return vgg;
        } catch (CheckpointException | RuntimeException e) {
            vgg.close();
            throw e;
        }
    }

    /** Reads {@code file} and builds the network it holds. */
    public static Vgg load(Backend backend, Path file) throws IOException {
        return load(backend, SafeTensors.read(file));
    }

    /**
     * Restores this network's state from a checkpoint. When the checkpoint has a vgg4j config it
     * must equal this one; files without it (e.g. converted from PyTorch) are checked by keys and
     * shapes alone.
     */
    public void restore(SafeTensorsFile checkpoint) throws CheckpointException {
        String source = checkpoint.file().toString();
        if (VggConfig.isIn(checkpoint.metadata())) {
            VggConfig stored = VggConfig.fromMetadata(checkpoint.metadata(), source);
            if (!stored.equals(config)) {
                throw new CheckpointException(source + ": holds " + stored + ", expected " + config);
            }
        }
        loadStateDict(checkpoint.tensors(), source);
        String seeds = checkpoint.metadata().get(DROPOUT_STATE_KEY);
        if (seeds != null) {
            try {
                dropoutSeeds.restore(Long.parseLong(seeds));
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(source + ": bad " + DROPOUT_STATE_KEY + " '" + seeds + "'");
            }
        }
    }

    @Override
    public void close() {
        features.close();
        classifier.close();
    }

    @Override
    public String toString() {
        return config.toString();
    }
}
