package dev.vgg4j.cli;

import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.Backends;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --backend}, {@code --threads} and {@code --conv-algorithm}, shared by the commands that compute. */
final class BackendFlags {
    @Option(names = "--backend", paramLabel = "NAME",
            description = "Compute backend (see 'vgg4j backends'; default: the fastest available).")
    String backend;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "Host threads of the backend, at most the processor count (default: ${DEFAULT-VALUE} = all processors).")
    int threads;

    @Option(names = "--conv-algorithm", paramLabel = "NAME",
            description = "cpu backend's convolution: auto (Winograd for 3x3 stride-1 layers of 16 or more input channels, "
                    + "im2col for the rest), im2col or winograd (default: auto).")
    String convAlgorithm;

    /** The cpu backend's option that {@code --conv-algorithm} sets; other backends ignore it. */
    private static final String CONV_ALGORITHM_OPTION = "cpu.conv-algorithm";

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** The backend these flags name (after {@link #check()}), with {@code options}' other settings. */
    Backend create(BackendOptions options) {
        return create(backend, options(options.withThreads(threads), convAlgorithm));
    }

    /** {@code options} with the cpu backend's convolution algorithm set, when one was given. */
    static BackendOptions options(BackendOptions options, String convAlgorithm) {
        return convAlgorithm == null ? options : options.withExtra(CONV_ALGORITHM_OPTION, convAlgorithm);
    }

    /** The backend called {@code name}, or the fastest available when null; a bad name is a {@link BadInputException}. */
    static Backend create(String name, BackendOptions options) {
        try {
            return Backends.create(name == null ? Backends.defaultName() : name, options);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--backend: " + e.getMessage());
        }
    }

    /**
     * Checks the flags; more threads than processors only wait for each other (hundreds of times
     * slower), so such a count is lowered to the processor count, with a warning on stderr.
     */
    void check() {
        if (convAlgorithm != null && !List.of("auto", "im2col", "winograd").contains(convAlgorithm)) {
            throw new BadInputException("--conv-algorithm: expected auto, im2col or winograd, got '" + convAlgorithm + "'");
        }
        if (threads < 0) {
            throw new BadInputException("--threads: expected 0 (all processors) or more, got " + threads);
        }
        int processors = Runtime.getRuntime().availableProcessors();
        if (threads > processors) {
            command.commandLine().getErr().println("vgg4j " + command.name() + ": --threads " + threads + " is more than the "
                    + processors + " processors; using " + processors);
            threads = processors;
        }
    }
}
