package dev.vgg4j.model;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Tensor;

/**
 * {@code nn.Dropout(p)}, inverted: in training mode each element is kept with probability
 * {@code 1 - p} and scaled by {@code 1/(1-p)}; in evaluation mode (or with {@code p = 0}) it is the
 * identity and returns its input (and, in backward, {@code gradOutput}) itself.
 *
 * <p>Each training forward takes a new seed from {@code seeds}; the mask is a pure function of that
 * seed (see {@link dev.vgg4j.core.CounterRng}), so every backend draws the same mask, a run
 * resumed with the same seed state repeats the uninterrupted one, and a shard of a batch draws
 * its rows of the whole batch's mask (see {@link DropoutSeeds#firstRow}).
 */
public final class Dropout implements Layer {
    private final Backend backend;
    private final float p;
    private final DropoutSeeds seeds;
    private final OwnedTensor output;
    private final OwnedTensor mask;
    private final OwnedTensor gradInput;
    private boolean training = true;
    /** Whether the last forward dropped (false: it was the identity). */
    private boolean dropped;
    private Tensor lastMask;

    public Dropout(Backend backend, float p, DropoutSeeds seeds) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("Dropout: p must be in [0, 1), got " + p);
        }
        this.backend = backend;
        this.p = p;
        this.seeds = seeds;
        this.output = new OwnedTensor(backend);
        this.mask = new OwnedTensor(backend);
        this.gradInput = new OwnedTensor(backend);
    }

    @Override
    public Shape outputShape(Shape in) {
        return in;
    }

    @Override
    public Tensor forward(Tensor x) {
        dropped = training && p > 0f;
        if (!dropped) {
            return x;
        }
        Tensor y = output.of(x.shape());
        lastMask = mask.of(x.shape());
        backend.dropoutForward(x, p, seeds.next(x.shape().sizePerItem()), y, lastMask);
        return y;
    }

    /** gradX = gradY * mask (or gradY itself after an identity forward). */
    @Override
    public Tensor backward(Tensor gradOutput) {
        if (!dropped) {
            return gradOutput;
        }
        Tensor gx = gradInput.of(gradOutput.shape());
        backend.dropoutBackward(gradOutput, lastMask, gx);
        return gx;
    }

    @Override
    public void train(boolean training) {
        this.training = training;
    }

    @Override
    public void close() {
        output.close();
        mask.close();
        gradInput.close();
    }
}
