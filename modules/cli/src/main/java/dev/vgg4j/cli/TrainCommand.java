package dev.vgg4j.cli;

import dev.vgg4j.spi.BackendProvider;
import dev.vgg4j.spi.Backends;
import dev.vgg4j.spi.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vgg4j train}: the recipe by default (vgg16_bn on CIFAR-10 at 50x50, Adam 1e-3, 30 epochs). */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a VGG network. The defaults are the reference recipe: vgg16_bn on CIFAR-10 resized to "
                + "50x50, batch 128, Adam lr 1e-3, ReduceLROnPlateau(factor 0.1, patience 2) on the validation loss, "
                + "cross-entropy summed over the batch, 30 epochs, 90/10 stratified train/validation split."})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--dataset", defaultValue = "cifar10", paramLabel = "NAME",
            description = "cifar10, fashion-mnist, fashion-mnist-sample or folder:PATH (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Mixin
    DataFlags dataFlags;

    @Option(names = "--download", description = "Download CIFAR-10 (MD5-checked) when it is not in the data folder.")
    boolean download;

    @Mixin
    ModelFlags modelFlags;

    @Option(names = "--epochs", defaultValue = "30", paramLabel = "N", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--lr", defaultValue = "0.001", paramLabel = "RATE", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--optimizer", defaultValue = "adam", paramLabel = "NAME",
            description = "adam or sgd (momentum 0.9) (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--augment", description = "Random crop (padding 1/8 of the side) and horizontal flip while training.")
    boolean augment;

    @Option(names = "--limit-train", defaultValue = "0", paramLabel = "N",
            description = "Train on about N training images, drawn from every class in proportion (default: all).")
    int limitTrain;

    @Mixin
    BackendFlags backendFlags;

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "NAME",
            description = "fp32, or fp16: torch.autocast(float16) with GradScaler's dynamic loss scaling (float16 GEMM "
                    + "inputs, float32 accumulation, weights and optimizer state); GPU backends only (tornado) "
                    + "(default: ${DEFAULT-VALUE}).")
    String precision;

    @Mixin
    RunFlags runFlags;

    @Mixin
    DataParallelFlags dataParallelFlags;

    @Option(names = "--overwrite", description = "Delete an earlier run's files in --out instead of refusing the folder.")
    boolean overwrite;

    @Option(names = "--resume", paramLabel = "CHECKPOINT",
            description = "Continue from a checkpoint-last.safetensors (or checkpoint-interrupted) of an earlier run; "
                    + "flags left out take that run's values.")
    Path resume;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        new TrainingRun("train", settings(), spec.commandLine().getOut(), dataParallelFlags).run();
        return 0;
    }

    /** The flags, checked: anything out of range is a {@link BadInputException} naming the flag. */
    RunSettings settings() throws IOException {
        if (resume != null && !Files.isRegularFile(resume)) {
            throw new BadInputException("--resume: no checkpoint file " + resume);
        }
        if (resume != null) {
            ResumedFlags.fillIn(spec, resume);
        }
        positive("--epochs", epochs);
        int batchSize = dataFlags.batchSize();
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new BadInputException("--lr: expected a positive, finite learning rate, got " + lr);
        }
        if (limitTrain < 0) {
            throw new BadInputException("--limit-train: expected 0 (all) or more images, got " + limitTrain);
        }
        backendFlags.check();
        Precision arithmetic = precision();
        ModelChoice model = modelFlags.choice();
        if (resume != null && model.init() != null) {
            throw new BadInputException("--init: not with --resume, which continues from its own checkpoint");
        }
        Path dataDir = dataFlags.dataDir;
        if (dataDir != null && !download && !Files.isDirectory(dataDir)) {
            throw new BadInputException("--data-dir: " + dataDir + " is not a folder");
        }
        return RunSettings.builder(DatasetChoice.parse(dataset))
                .data(dataDir, download)
                .model(model)
                .epochs(epochs)
                .batchSize(batchSize)
                .optimizer(OptimizerChoice.parse(optimizer), lr)
                .augment(augment)
                .limitTrain(limitTrain)
                .backend(backendFlags.backend, backendFlags.threads, backendFlags.convAlgorithm)
                .precision(arithmetic)
                .seed(runFlags.seed)
                .out(runFlags.out, overwrite)
                .resume(resume)
                .build();
    }

    /** {@code --precision}, checked against the backend that will run (the named one or the default). */
    private Precision precision() {
        Precision p;
        try {
            p = Precision.parse(precision);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--precision: " + e.getMessage());
        }
        if (p == Precision.FP32) {
            return p;
        }
        if (dataParallelFlags.master != null) {
            throw new BadInputException("--precision " + p.label() + ": not with --spark (its replicas compute float32 "
                    + "gradients without loss scaling)");
        }
        String name;
        BackendProvider provider;
        try {
            name = backendFlags.backend == null ? Backends.defaultName() : backendFlags.backend;
            provider = Backends.provider(name);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--backend: " + e.getMessage());
        }
        if (!provider.precisions().contains(p)) {
            throw new BadInputException("--precision " + p.label() + ": not supported by backend " + name
                    + "; supported by: " + Backends.supporting(p));
        }
        return p;
    }

    private static void positive(String flag, int value) {
        if (value < 1) {
            throw new BadInputException(flag + ": expected a positive number, got " + value);
        }
    }
}
