package dev.vgg4j.train;

import dev.vgg4j.core.CounterRng;
import dev.vgg4j.core.Shape;
import dev.vgg4j.model.Buffer;
import dev.vgg4j.model.Dropout;
import dev.vgg4j.model.DropoutSeeds;
import dev.vgg4j.model.Flatten;
import dev.vgg4j.model.Linear;
import dev.vgg4j.model.Model;
import dev.vgg4j.model.Parameter;
import dev.vgg4j.model.ReLU;
import dev.vgg4j.model.Sequential;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Tensor;
import java.util.List;

/**
 * A second {@link Model}, for tests only, built from the same layers as VGG: Flatten, Linear
 * ({@code net.1}), ReLU, Dropout, Linear ({@code net.4}). It has no batch norm, so data-parallel
 * shards reproduce its whole-batch gradients.
 */
final class Mlp implements Model {
    private final Backend backend;
    private final MlpConfig config;
    private final DropoutSeeds dropoutSeeds;
    private final Sequential net;
    private boolean training = true;

    Mlp(Backend backend, MlpConfig config) {
        this.backend = backend;
        this.config = config;
        this.dropoutSeeds = new DropoutSeeds(CounterRng.hash(config.seed(), 1L));
        int in = config.inputShape(1).size();
        this.net = new Sequential(List.of(
                new Flatten(),
                new Linear(backend, "net.1", in, config.hidden(), config.seed()),
                new ReLU(backend, true),
                new Dropout(backend, config.dropout(), dropoutSeeds),
                new Linear(backend, "net.4", config.hidden(), config.numClasses(), config.seed())));
    }

    @Override
    public MlpConfig config() {
        return config;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public boolean isTraining() {
        return training;
    }

    @Override
    public DropoutSeeds dropoutSeeds() {
        return dropoutSeeds;
    }

    @Override
    public List<Buffer> state() {
        return List.copyOf(net.parameters());
    }

    @Override
    public Tensor forward(Tensor images) {
        checkInput(images.shape());
        return net.forward(images);
    }

    @Override
    public Tensor backward(Tensor gradLogits) {
        return net.backward(gradLogits);
    }

    @Override
    public Shape outputShape(Shape input) {
        return checkInput(input);
    }

    @Override
    public List<Parameter> parameters() {
        return net.parameters();
    }

    @Override
    public void train(boolean training) {
        this.training = training;
        net.train(training);
    }

    @Override
    public void close() {
        net.close();
    }
}
