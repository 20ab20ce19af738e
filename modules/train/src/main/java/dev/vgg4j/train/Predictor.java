package dev.vgg4j.train;

import dev.vgg4j.core.Shape;
import dev.vgg4j.data.Batch;
import dev.vgg4j.data.transform.ImagePipeline;
import dev.vgg4j.data.transform.ImageSize;
import dev.vgg4j.model.Model;
import dev.vgg4j.model.ModelConfig;
import dev.vgg4j.model.Pretrained;
import dev.vgg4j.model.io.CheckpointException;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Tensor;
import java.util.HashMap;
import java.util.Map;

/**
 * Class probabilities from a trained model: images in, softmax rows out. The model runs in
 * evaluation mode (batch norm with its running statistics, dropout off) on its inference path
 * ({@link Model#infer}: for a VGG, batch norm folded into the convolutions). Images come either as a
 * preprocessed batch ({@code [N, C, H, W]} floats, e.g. a {@link Batch} of an evaluation
 * {@code DataLoader}) or as raw pixels as a {@code Dataset} holds them, which are resized and
 * normalised as in training ({@link ImagePipeline#recipe}).
 * <pre>{@code
 * try (Backend backend = Backends.createDefault(BackendOptions.defaults());      // as for training
 *      Predictor predictor = Predictor.load(Pretrained.read(file, null), backend)) {
 *     double[] p = predictor.probabilities(pixels, new ImageSize(3, 32, 32));   // p[k]: class k
 * }
 * }</pre>
 */
public final class Predictor implements AutoCloseable {
    private final Model model;
    private final Backend backend;
    /** Whether {@link #close} closes the model ({@link #load} made it). */
    private final boolean ownsModel;
    private final Map<Shape, Tensor> inputs = new HashMap<>();

    private Predictor(Model model, boolean ownsModel) {
        this.model = model;
        this.backend = model.backend();
        this.ownsModel = ownsModel;
        model.train(false);
    }

    /** Predicts with {@code model}, which it switches to evaluation mode; the caller keeps the model and its backend. */
    public static Predictor of(Model model) {
        return new Predictor(model, false);
    }

    /**
     * Builds the model {@code weights} hold on {@code backend} (chosen as for training, e.g.
     * {@code Backends.createDefault}); the predictor owns the model, the caller the backend.
     */
    public static Predictor load(Pretrained weights, Backend backend) throws CheckpointException {
        return new Predictor(weights.load(backend), true);
    }

    public Model model() {
        return model;
    }

    public ModelConfig config() {
        return model.config();
    }

    /** Logits {@code [count, K]} (row after row) of {@code count} preprocessed images {@code [count, C, H, W]}. */
    public float[] logits(float[] images, int count) {
        Tensor x = inputs.computeIfAbsent(model.config().inputShape(count), backend::allocate);
        backend.upload(images, x);
        return backend.download(model.infer(x));
    }

    /** Softmax rows {@code [count][K]} of {@code count} preprocessed images {@code [count, C, H, W]}. */
    public double[][] probabilities(float[] images, int count) {
        float[] logits = logits(images, count);
        int classes = model.config().numClasses();
        double[][] p = new double[count][];
        for (int i = 0; i < count; i++) {
            p[i] = softmax(logits, i, classes);
        }
        return p;
    }

    /** Softmax rows of a preprocessed batch (an evaluation {@code DataLoader}'s). */
    public double[][] probabilities(Batch batch) {
        return probabilities(batch.images(), batch.size());
    }

    /**
     * Class probabilities of one image, {@code pixels} in a {@code Dataset}'s layout (bytes
     * {@code [C, H, W]} of {@code size}), resized and normalised as in training.
     */
    public double[] probabilities(byte[] pixels, ImageSize size) {
        float[] input = new float[model.config().inputShape(1).size()];
        pipeline(size).newScratch(size).process(pixels, 0, input, 0, 0L);
        return probabilities(input, 1)[0];
    }

    /** The preprocessing of images of {@code input} size for this model: the recipe's resize and normalisation. */
    public ImagePipeline pipeline(ImageSize input) {
        ModelConfig c = model.config();
        if (input.channels() != c.inChannels()) {
            throw new IllegalArgumentException(c.name() + " takes " + c.inChannels() + "-channel images, got "
                    + input.channels() + " channels");
        }
        return ImagePipeline.recipe(input, c.imageHeight(), c.imageWidth());
    }

    /** Softmax of row {@code row} of {@code logits}, computed in double from the row's maximum. */
    private static double[] softmax(float[] logits, int row, int classes) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < classes; k++) {
            max = Math.max(max, logits[row * classes + k]);
        }
        double[] p = new double[classes];
        double sum = 0;
        for (int k = 0; k < classes; k++) {
            p[k] = Math.exp(logits[row * classes + k] - max);
            sum += p[k];
        }
        for (int k = 0; k < classes; k++) {
            p[k] /= sum;
        }
        return p;
    }

    /** Frees the input tensors, and the model when {@link #load} made it. */
    @Override
    public void close() {
        inputs.values().forEach(Tensor::close);
        if (ownsModel) {
            model.close();
        }
    }
}
