package dev.vgg4j.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data-dir} and {@code --batch-size}, shared by the commands that read a dataset ({@code train}, {@code evaluate}). */
final class DataFlags {
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the dataset is (default: the run's for evaluate and --resume, else ~/.vgg4j/datasets "
                    + "for cifar10, /usr/share/datasets/fashion-mnist for fashion-mnist).")
    Path dataDir;

    @Option(names = "--batch-size", defaultValue = "128", paramLabel = "N",
            description = "Images per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    /** The batch size, checked: not positive is a {@link BadInputException} naming the flag. */
    int batchSize() {
        if (batchSize < 1) {
            throw new BadInputException("--batch-size: expected a positive number, got " + batchSize);
        }
        return batchSize;
    }
}
