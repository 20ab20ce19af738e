package dev.vgg4j.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --seed} and {@code --out}, shared by the commands that train ({@code train}, {@code demo}). */
final class RunFlags {
    @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
            description = "Seed of the split, shuffling, init and dropout (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Run folder: new or empty, or the resumed run's "
                    + "(default: runs/<timestamp>, or the folder of --resume).")
    Path out;
}
