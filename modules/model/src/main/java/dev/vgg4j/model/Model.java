package dev.vgg4j.model;

import dev.vgg4j.core.Shape;
import dev.vgg4j.core.ShapeException;
import dev.vgg4j.model.io.CheckpointException;
import dev.vgg4j.model.io.TensorEntry;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Tensor;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An image classifier the trainer, checkpoints and the CLI know: images
 * {@code [N, C, H, W]} -> logits {@code [N, numClasses]} through {@link #forward}, and
 * {@link #backward} from the logits' gradient, which <b>overwrites</b> every
 * {@link Parameter#grad()} (see {@link Layer} for ownership). Parameters and buffers carry PyTorch
 * state-dict names. It starts in training mode, as a PyTorch module does.
 *
 * <p>Implementations: {@link Vgg}; a family of models is found by name through {@link Models}.
 * Checkpoints are read and written by {@link Checkpoints}.
 */
public interface Model extends Layer {

    /** The description this model was built from. */
    ModelConfig config();

    Backend backend();

    boolean isTraining();

    /** Where every Dropout layer of this model takes its seeds (state saved in checkpoints). */
    DropoutSeeds dropoutSeeds();

    /** Everything in the state dict (parameters and buffers), in PyTorch's order. */
    List<Buffer> state();

    /** Checks {@code input} is {@code [N, C, H, W]} as the config says; returns {@code [N, numClasses]}. */
    default Shape checkInput(Shape input) {
        ModelConfig c = config();
        if (input.rank() != 4 || input.c() != c.inChannels() || input.h() != c.imageHeight()
                || input.w() != c.imageWidth()) {
            throw new ShapeException(c.name() + ": input has shape " + input + ", expected [N, " + c.inChannels()
                    + ", " + c.imageHeight() + ", " + c.imageWidth() + "]");
        }
        return Shape.matrix(input.n(), c.numClasses());
    }

    /** Host copies of the state dict, keyed and ordered as PyTorch's (waits for pending ops). */
    default Map<String, TensorEntry> stateDict() {
        Map<String, TensorEntry> dict = new LinkedHashMap<>();
        for (Buffer b : state()) {
            dict.put(b.name(), b.save());
        }
        return dict;
    }

    /**
     * Loads every state-dict key from {@code entries}. Keys whose first segment no model key has
     * (a checkpoint also holds {@code optimizer.*}) are ignored; a missing or unknown model key,
     * or a shape mismatch, is an error naming {@code source}.
     */
    default void loadStateDict(Map<String, TensorEntry> entries, String source) throws CheckpointException {
        List<Buffer> state = state();
        Set<String> expected = new HashSet<>();
        Set<String> prefixes = new HashSet<>();
        for (Buffer b : state) {
            expected.add(b.name());
            prefixes.add(firstSegment(b.name()));
        }
        for (String key : entries.keySet()) {
            if (prefixes.contains(firstSegment(key)) && !expected.contains(key)) {
                throw new CheckpointException(source + ": tensor '" + key + "' is not part of " + config()
                        + " (a checkpoint of another model?)");
            }
        }
        for (Buffer b : state) {
            TensorEntry e = entries.get(b.name());
            if (e == null) {
                throw new CheckpointException(source + ": has no tensor '" + b.name() + "', expected by " + config()
                        + " (a checkpoint of another model?)");
            }
            b.load(e, source);
        }
        weightsChanged();
    }

    private static String firstSegment(String key) {
        int dot = key.indexOf('.');
        return dot < 0 ? key : key.substring(0, dot);
    }

    /** Forward of images {@code [N, C, H, W]}; the logits {@code [N, numClasses]} are owned by the model. */
    @Override
    Tensor forward(Tensor images);

    /** Gradient w.r.t. the images from the logits' gradient; overwrites every parameter's gradient. */
    @Override
    Tensor backward(Tensor gradLogits);

    /**
     * Logits {@code [N, numClasses]} of images {@code [N, C, H, W]} as evaluation mode computes them
     * (batch norm with its running statistics, dropout off), in either mode and without changing it:
     * what {@code evaluate}, {@code predict} and validation run. Keeps nothing for a backward, so a
     * {@link #backward} needs a {@link #forward} after it. The logits are owned by the model (the
     * next {@code infer} overwrites them). By default the evaluation-mode {@link #forward}; a model
     * may run a faster path with the same results ({@link Vgg}: batch norm folded into the
     * convolutions).
     */
    default Tensor infer(Tensor images) {
        boolean training = isTraining();
        train(false);
        try {
            return forward(images);
        } finally {
            train(training);
        }
    }

    /**
     * Says that parameters or buffers were written by something other than a training-mode
     * {@link #forward} or {@link #loadStateDict}, both of which say it themselves (an optimizer's
     * step, buffers copied in by a data-parallel engine), so that what {@link #infer} derives from
     * them (Vgg's folded batch norm) is derived again before its next use. Default: nothing is derived.
     */
    default void weightsChanged() {}
}
