package dev.vgg4j.train;

import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.Backends;

/** Backends for tests: the reference oracle, and the fastest CPU backend on the class path. */
final class TestBackends {
    private TestBackends() {}

    static Backend reference() {
        return Backends.create("reference", BackendOptions.defaults().withThreads(1));
    }

    /** The highest-priority available backend that runs on the CPU (TornadoVM excluded), with {@code threads}. */
    static Backend fastestCpu(int threads) {
        String name = Backends.list().stream()
                .filter(i -> i.availability().available() && !i.name().startsWith("tornado"))
                .findFirst()
                .orElseThrow()
                .name();
        return Backends.create(name, BackendOptions.defaults().withThreads(threads));
    }
}
