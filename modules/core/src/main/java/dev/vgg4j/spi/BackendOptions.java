package dev.vgg4j.spi;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to create a backend.
 *
 * @param threads     host threads; 0 means one per available processor
 * @param deviceIndex which device of a multi-device backend (GPU index); 0 is the first
 * @param seed        seed for anything random the backend does on its own
 * @param extra       backend-specific settings, e.g. {@code tornado.device=1:0}
 * @param precision   the arithmetic to train in; a provider refuses one it does not list in
 *                    {@link BackendProvider#precisions()} (see {@link Backends#create(String, BackendOptions)})
 */
public record BackendOptions(int threads, int deviceIndex, long seed, Map<String, String> extra, Precision precision) {
    public BackendOptions {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0 (0 = all processors), got " + threads);
        }
        extra = Map.copyOf(extra);
        Objects.requireNonNull(precision, "precision");
    }

    /** Options in float32. */
    public BackendOptions(int threads, int deviceIndex, long seed, Map<String, String> extra) {
        this(threads, deviceIndex, seed, extra, Precision.FP32);
    }

    public static BackendOptions defaults() {
        return new BackendOptions(0, 0, 42L, Map.of());
    }

    public BackendOptions withThreads(int n) {
        return new BackendOptions(n, deviceIndex, seed, extra, precision);
    }

    public BackendOptions withSeed(long s) {
        return new BackendOptions(threads, deviceIndex, s, extra, precision);
    }

    /** These options with {@code extra[key] = value} (added or replaced). */
    public BackendOptions withExtra(String key, String value) {
        Map<String, String> more = new HashMap<>(extra);
        more.put(key, value);
        return new BackendOptions(threads, deviceIndex, seed, more, precision);
    }

    public BackendOptions withDeviceIndex(int index) {
        return new BackendOptions(threads, index, seed, extra, precision);
    }

    public BackendOptions withPrecision(Precision p) {
        return new BackendOptions(threads, deviceIndex, seed, extra, p);
    }

    /** The thread count to use: {@link #threads} or, when 0, the available processors. */
    public int resolvedThreads() {
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }
}
