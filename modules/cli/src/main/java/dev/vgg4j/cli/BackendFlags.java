package dev.vgg4j.cli;

import picocli.CommandLine.Option;

/** {@code --backend} and {@code --threads}, shared by the commands that compute. */
final class BackendFlags {
    @Option(names = "--backend", paramLabel = "NAME",
            description = "Compute backend (see 'vgg4j backends'; default: the fastest available).")
    String backend;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "Host threads of the backend (default: ${DEFAULT-VALUE} = all processors).")
    int threads;

    void check() {
        if (threads < 0) {
            throw new BadInputException("--threads: expected 0 (all processors) or more, got " + threads);
        }
    }
}
