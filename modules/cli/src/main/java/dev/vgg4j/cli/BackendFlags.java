package dev.vgg4j.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --backend} and {@code --threads}, shared by the commands that compute. */
final class BackendFlags {
    @Option(names = "--backend", paramLabel = "NAME",
            description = "Compute backend (see 'vgg4j backends'; default: the fastest available).")
    String backend;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "Host threads of the backend, at most the processor count (default: ${DEFAULT-VALUE} = all processors).")
    int threads;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /**
     * Checks the flags; more threads than processors only wait for each other (hundreds of times
     * slower), so such a count is lowered to the processor count, with a warning on stderr.
     */
    void check() {
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
