package dev.vgg4j.model;

import dev.vgg4j.core.CounterRng;
import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A VGG network on a backend: images {@code [N, inChannels, S, S]} -> logits {@code [N, numClasses]}.
 * Layer order and state-dict names are described in {@link VggLayout}'s comment: features exactly
 * as torchvision's {@code vgg*_bn}, the classifier in the recipe's order with torchvision's keys.
 *
 * <p>It starts in training mode, as a PyTorch module does. Each training forward draws one seed
 * per Dropout layer from the model's {@link DropoutSeeds}, whose state is saved in checkpoints
 * ({@link Checkpoints}).
 */
public final class Vgg implements Model {
    private static final long DROPOUT_STREAM = 0x64726F706F7574L; // "dropout": keeps masks independent of init

    private final Backend backend;
    private final VggConfig config;
    private final DropoutSeeds dropoutSeeds;
    private final Sequential features;
    private final Sequential classifier;
    private boolean training = true;
    /** Counts weight changes: each training forward (running statistics), {@link #weightsChanged}. */
    private long weightVersion;
    /** Built on the first {@link #infer}: training-only use allocates no folded weights. */
    private InferencePath inference;

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

    private List<Layer> build(List<VggLayout.Item> items, List<Layer> built) {
        List<Layer> layers = new ArrayList<>();
        for (VggLayout.Item item : items) {
            Layer layer = item.build(backend, config.seed(), dropoutSeeds);
            built.add(layer);
            layers.add(layer);
        }
        return layers;
    }

    @Override
    public VggConfig config() {
        return config;
    }

    @Override
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
        checkInput(in);
        return classifier.outputShape(features.outputShape(in));
    }

    /** images {@code [N, C, S, S]} -> logits {@code [N, numClasses]}, owned by the model. */
    @Override
    public Tensor forward(Tensor images) {
        outputShape(images.shape());
        if (training) {
            weightVersion++; // batch norm's running statistics move
        }
        return classifier.forward(features.forward(images));
    }

    /**
     * images {@code [N, C, S, S]} -> logits {@code [N, numClasses]} in evaluation mode on the
     * {@link InferencePath}: batch norm folded into the convolutions (again after the weights
     * changed), ReLU fused into them, nothing kept for a backward.
     */
    @Override
    public Tensor infer(Tensor images) {
        outputShape(images.shape());
        if (inference == null) {
            inference = InferencePath.of(backend, layers());
        }
        return inference.run(images, weightVersion);
    }

    @Override
    public void weightsChanged() {
        weightVersion++;
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

    @Override
    public boolean isTraining() {
        return training;
    }

    @Override
    public DropoutSeeds dropoutSeeds() {
        return dropoutSeeds;
    }

    /** Everything in the state dict (parameters and buffers), in torchvision's order. */
    @Override
    public List<Buffer> state() {
        List<Buffer> all = new ArrayList<>();
        for (Layer layer : layers()) {
            all.addAll(layer.parameters());
            all.addAll(layer.buffers());
        }
        return all;
    }

    @Override
    public void close() {
        if (inference != null) {
            inference.close();
        }
        features.close();
        classifier.close();
    }

    @Override
    public String toString() {
        return config.toString();
    }
}
