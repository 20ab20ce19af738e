package dev.vgg4j.model;

import dev.vgg4j.core.CounterRng;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Tensor;

/**
 * PyTorch's default initialisation of Conv2d and Linear, generated on the host and uploaded.
 *
 * <p>{@code kaiming_uniform_(w, a=sqrt(5))} has bound {@code gain * sqrt(3 / fan_in)} with
 * {@code gain = sqrt(2 / (1 + a^2)) = sqrt(1/3)}, i.e. {@code 1 / sqrt(fan_in)}; the bias uses the
 * same bound. Values come from {@link CounterRng} keyed by the parameter's name, so a parameter's
 * values depend only on the seed and its name, not on the order layers are built in.
 */
final class PyTorchInit {
    private PyTorchInit() {}

    /** The bound of both weight and bias for a layer whose weight has {@code fanIn} inputs per output. */
    static float bound(int fanIn) {
        return (float) (1.0 / Math.sqrt(fanIn));
    }

    /** Fills {@code t} with {@code U(-bound, bound)} drawn from {@code (seed, name)}. */
    static void uniform(Backend backend, Tensor t, float bound, long seed, String name) {
        long stream = CounterRng.hash(seed, name.hashCode());
        float[] values = new float[t.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (2f * CounterRng.uniform(stream, i) - 1f) * bound;
        }
        backend.upload(values, t);
    }
}
