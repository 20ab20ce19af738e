package dev.vgg4j.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vgg4j demo}: the offline first run. Trains a small VGG-BN on the Fashion-MNIST sample
 * embedded in the jar (4,000 training and 1,000 test images of real clothing) for about a minute on
 * the fastest available backend, and ends with {@code Test Acc: 0.xxx}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a small VGG-BN for about a minute on the embedded Fashion-MNIST sample "
                + "(no download, no data on disk needed) and report the test accuracy."})
final class DemoCommand implements Callable<Integer> {
    static final String MODEL = "vgg11_bn";
    static final double WIDTH = 0.25;
    static final int IMAGE_SIZE = 32;
    static final int BATCH_SIZE = 64;

    @Option(names = "--epochs", defaultValue = "8", paramLabel = "N", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Mixin
    BackendFlags backendFlags;

    @Mixin
    RunFlags runFlags;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (epochs < 1) {
            throw new BadInputException("--epochs: expected a positive number, got " + epochs);
        }
        backendFlags.check();
        RunSettings settings = RunSettings.builder(DatasetChoice.parse("fashion-mnist-sample"))
                .model(ModelChoice.named(MODEL, WIDTH, IMAGE_SIZE))
                .epochs(epochs)
                .batchSize(BATCH_SIZE)
                .backend(backendFlags.backend, backendFlags.threads, backendFlags.convAlgorithm)
                .seed(runFlags.seed)
                .out(runFlags.out, false)
                .build();
        new TrainingRun("demo", settings, spec.commandLine().getOut()).run();
        return 0;
    }
}
