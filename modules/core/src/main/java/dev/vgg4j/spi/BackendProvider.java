package dev.vgg4j.spi;

import java.util.EnumSet;
import java.util.Set;

/**
 * Entry point of a backend, found with {@link java.util.ServiceLoader}: a backend module lists its
 * provider in {@code META-INF/services/dev.vgg4j.spi.BackendProvider}.
 */
public interface BackendProvider {
    /** Short unique name used on the command line, e.g. {@code "cpu"}. */
    String name();

    /** Higher wins when no backend is named: the fastest available backend should rank highest. */
    int priority();

    /** Whether this backend can run on this machine; must be cheap and must not throw. */
    Availability availability();

    /** The precisions {@link #create} accepts in {@link BackendOptions#precision()}; float32 only unless overridden. */
    default Set<Precision> precisions() {
        return EnumSet.of(Precision.FP32);
    }

    /** A new backend; fails with {@link IllegalStateException} when not available. */
    Backend create(BackendOptions options);
}
