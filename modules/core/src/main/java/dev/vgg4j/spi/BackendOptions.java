package dev.vgg4j.spi;

import java.util.HashMap;
import java.util.Map;

/**
 * How to create a backend.
 *
 * @param threads     host threads; 0 means one per available processor
 * @param deviceIndex which device of a multi-device backend (GPU index); 0 is the first
 * @param seed        seed for anything random the backend does on its own
 * @param extra       backend-specific settings, e.g. {@code tornado.device=1:0}
 */
public record BackendOptions(int threads, int deviceIndex, long seed, Map<String, String> extra) {
    public BackendOptions {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0 (0 = all processors), got " + threads);
        }
        extra = Map.copyOf(extra);
    }

    public static BackendOptions defaults() {
        return new BackendOptions(0, 0, 42L, Map.of());
    }

    public BackendOptions withThreads(int n) {
        return new BackendOptions(n, deviceIndex, seed, extra);
    }

    public BackendOptions withSeed(long s) {
        return new BackendOptions(threads, deviceIndex, s, extra);
    }

    /** These options with {@code extra[key] = value} (added or replaced). */
    public BackendOptions withExtra(String key, String value) {
        Map<String, String> more = new HashMap<>(extra);
        more.put(key, value);
        return new BackendOptions(threads, deviceIndex, seed, more);
    }

    public BackendOptions withDeviceIndex(int index) {
        return new BackendOptions(threads, index, seed, extra);
    }

    /** The thread count to use: {@link #threads} or, when 0, the available processors. */
    public int resolvedThreads() {
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }
}
