package dev.vgg4j.cli;

import dev.vgg4j.data.DataLoader;
import dev.vgg4j.data.Dataset;
import dev.vgg4j.data.StratifiedSplit;
import dev.vgg4j.data.transform.ImagePipeline;
import dev.vgg4j.data.transform.ImageSize;
import dev.vgg4j.data.transform.ImageTransform;
import dev.vgg4j.data.transform.Normalize;
import dev.vgg4j.data.transform.RandomCrop;
import dev.vgg4j.data.transform.RandomHorizontalFlip;
import dev.vgg4j.data.transform.Resize;
import dev.vgg4j.datasets.Cifar10;
import dev.vgg4j.datasets.DatasetException;
import dev.vgg4j.model.Model;
import dev.vgg4j.model.ModelConfig;
import dev.vgg4j.model.Pretrained;
import dev.vgg4j.model.VggConfig;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.HeapBackend;
import dev.vgg4j.spi.Precision;
import dev.vgg4j.train.ConsoleLogger;
import dev.vgg4j.train.DataParallelEngines;
import dev.vgg4j.train.DataParallelStep;
import dev.vgg4j.train.LossScaler;
import dev.vgg4j.train.Optimizer;
import dev.vgg4j.train.ProgressLogger;
import dev.vgg4j.train.ReduceLROnPlateau;
import dev.vgg4j.train.Trainer;
import dev.vgg4j.train.TrainingListener;
import dev.vgg4j.train.TrainingResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One training run from {@link RunSettings}, the recipe's way: a stratified train/validation split,
 * Adam (or SGD) with ReduceLROnPlateau on the validation loss, cross-entropy summed over the batch,
 * the test set evaluated at the end; progress on the console and every result in the run folder.
 */
final class TrainingRun {
    private final String command;
    private final RunSettings settings;
    private final PrintWriter out;
    private final DataParallelFlags dataParallel;

    /** @param command the CLI command that started the run ({@code train} or {@code demo}), for run.json */
    TrainingRun(String command, RunSettings settings, PrintWriter out) {
        this(command, settings, out, new DataParallelFlags());
    }

    TrainingRun(String command, RunSettings settings, PrintWriter out, DataParallelFlags dataParallel) {
        this.command = command;
        this.settings = settings;
        this.out = out;
        this.dataParallel = dataParallel;
    }

    /** Claims the run folder first (a folder in use or holding another run is refused before any data is read). */
    TrainingResult run() throws IOException {
        try (RunFolderLock folder = RunFolderLock.claim(settings.out(), settings.resume(), settings.overwrite())) {
            return run(folder);
        }
    }

    /**
     * The images this process reads: the training set (null when the Spark workers read their own
     * parts of it, from {@code parts}), the validation set, the test set (or null), and a checksum
     * of what was read for run.json.
     */
    private record RunData(Dataset train, Dataset validation, Dataset test, String sha256, Path parts) {}

    /** The dataset, split into training and validation as the recipe does. */
    private RunData localData() throws IOException {
        DatasetChoice.Loaded data = settings.dataset().load(settings.dataDir(), settings.download(), out);
        Dataset[] split = StratifiedSplit.split(data.train(), settings.valFraction(), settings.seed());
        return new RunData(limit(split[0], settings.limitTrain()), split[1], data.test(),
                DatasetChecksum.of(data.train(), data.test()), null);
    }

    /**
     * {@code --spark-data partitioned}: the workers read the CIFAR-10 training batch files
     * themselves; this process reads only {@code test_batch.bin}, which validates each epoch (there
     * is no split of the training set it does not hold, and no separate test evaluation).
     */
    private RunData partitionedData() {
        if (settings.dataset().kind() != DatasetChoice.Kind.CIFAR10 || settings.download() || settings.limitTrain() > 0) {
            throw new BadInputException("--spark-data partitioned: reads extracted CIFAR-10 batch files from --data-dir;"
                    + " not with --dataset " + settings.dataset().label() + (settings.download() ? ", --download" : "")
                    + (settings.limitTrain() > 0 ? ", --limit-train" : ""));
        }
        Path dataDir = settings.dataDir() == null ? DatasetChoice.DEFAULT_CACHE : settings.dataDir();
        try {
            Path folder = Cifar10.extractedFolder(dataDir);
            Dataset validation = Cifar10.loadBatches(folder, List.of(Cifar10.TEST_FILE));
            return new RunData(null, validation, null, DatasetChecksum.of(validation), folder);
        } catch (DatasetException e) {
            throw new BadInputException("--data-dir: " + e.getMessage());
        }
    }

    private TrainingResult run(RunFolderLock runFolder) throws IOException {
        RunData data = dataParallel.partitioned() ? partitionedData() : localData();
        Dataset train = data.train();
        Dataset validation = data.validation(); // the same channels, classes and image size as the training set
        ModelChoice choice = settings.model();
        Pretrained init = choice.init() == null ? null : Pretrained.read(choice.init(),
                new int[] {choice.imageHeight(), choice.imageWidth()});
        ModelConfig config = buildable(init == null
                ? choice.config(validation.channels(), validation.numClasses(), settings.seed())
                : choice.fineTune(init.config(), validation.channels(), validation.numClasses(), settings.seed(),
                        settings.dataset().label()), choice);
        BackendOptions backendOptions = BackendFlags.options(BackendOptions.defaults().withThreads(settings.threads())
                .withSeed(settings.seed()).withPrecision(settings.precision()), settings.convAlgorithm());
        ImageSize input = validation.imageSize();
        ImagePipeline evaluation = ImagePipeline.recipe(input, config.imageHeight(), config.imageWidth());
        ImagePipeline training = settings.augment() ? augmented(input, config.imageHeight(), config.imageWidth()) : evaluation;
        int batch = settings.batchSize();

        try (Backend backend = createBackend(backendOptions, config);
             Model model = config.create(backend);
             Optimizer optimizer = settings.optimizer().create(backend, model.parameters(), settings.lr());
             DataLoader trainLoader = train == null ? null
                     : new DataLoader(train, training, DataLoader.Options.training(batch, settings.seed()));
             DataLoader valLoader = new DataLoader(validation, evaluation, DataLoader.Options.evaluation(batch));
             DataLoader testLoader = data.test() == null ? null
                     : new DataLoader(data.test(), evaluation, DataLoader.Options.evaluation(batch));
             DataParallelStep engine = data.parts() == null ? dataParallel.start(backend.name(), settings.threads())
                     : dataParallel.start(backend.name(), settings.threads(),
                             new DataParallelEngines.PartitionedFiles(data.parts(), training, batch, settings.seed()));
             LossScaler scaler = settings.precision() == Precision.FP16 ? new LossScaler(backend) : null) {
            if (trainLoader != null && trainLoader.batchesPerEpoch() == 0) {
                throw new BadInputException("--batch-size " + batch + " is larger than the " + train.size()
                        + " training images: no full batch to train on");
            }
            // partitioned: the images the workers' parts give an epoch
            int trainImages = train != null ? train.size() : engine.ownData().orElseThrow().batchesPerEpoch() * batch;
            RunFolder folder = new RunFolder(runFolder.dir(), config.name() + " on " + settings.dataset().label(),
                    runInfo(backend, engine, config, data, trainImages));
            if (init != null) {
                out.println(initialise(init, model));
            }
            out.printf(Locale.ROOT, "Training %s (width %s, %dx%d input, %,d parameters) on %s: %d train / %d val%s images%n",
                    config.name(), config instanceof VggConfig v ? v.width() : choice.width(), config.imageHeight(),
                    config.imageWidth(), config.parameterCount(),
                    settings.dataset().label(), trainImages, validation.size(),
                    data.test() == null ? "" : " / " + data.test().size() + " test");
            out.println("Backend " + backend.name() + ": " + backend.deviceDescription() + "; run folder " + folder.dir());
            if (engine != null) {
                out.println("Data-parallel on " + engine.description());
            }
            Trainer.Builder builder = Trainer.builder(model, optimizer);
            if (engine != null) {
                builder.dataParallel(engine);
            }
            if (scaler != null) {
                out.println("Mixed precision: float16 autocast, loss scale " + (int) scaler.currentScale()
                        + " (halved on inf/NaN gradients, doubled after " + LossScaler.GROWTH_INTERVAL + " finite steps)");
                builder.lossScaler(scaler);
            }
            try (InterruptCheckpoint interrupt = new InterruptCheckpoint(folder.dir(), out);
                 Trainer trainer = builder
                         .scheduler(new ReduceLROnPlateau(optimizer, ReduceLROnPlateau.Options.recipe()))
                         .trainLoader(trainLoader)
                         .validationLoader(valLoader)
                         .testLoader(testLoader)
                         .epochs(settings.epochs())
                         .listener(folder)
                         .listener(new ConsoleLogger(out::println))
                         .listener(progress(trainLoader != null ? trainLoader.samplesPerEpoch() : trainImages))
                         .listener(interrupt)
                         .build()) {
                if (settings.resume() != null) {
                    trainer.resume(settings.resume());
                    out.println("Resumed from " + settings.resume() + " after epoch " + trainer.epochsCompleted()
                            + (trainer.batchesDoneInEpoch() == 0 ? ""
                                    : ", batch " + trainer.batchesDoneInEpoch() + "/" + trainer.batchesPerEpoch()
                                    + " of epoch " + (trainer.epochsCompleted() + 1)));
                }
                return trainer.fit();
            }
        }
    }

    /** A live bar on a terminal; otherwise (logs, pipes, CI) ten plain lines an epoch, so redirected output stays readable. */
    private TrainingListener progress(long imagesPerEpoch) {
        boolean terminal = System.console() != null && System.console().isTerminal();
        return terminal ? new TerminalProgress(imagesPerEpoch) : ProgressLogger.linesPerEpoch(out::println, 10);
    }

    /** {@code config}, checked to be buildable: a weight too big for a tensor (a huge --image-size) names the flags. */
    private static ModelConfig buildable(ModelConfig config, ModelChoice choice) {
        try {
            config.parameterCount();
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--image-size " + choice.imageSize() + " --width " + choice.width() + ": "
                    + config.name() + " cannot be built: " + e.getMessage());
        }
        return config;
    }

    /** Loads {@code init}'s weights into {@code model}; returns the line that says what was loaded. */
    private static String initialise(Pretrained init, Model model) throws IOException {
        List<String> fresh = init.initialise(model);
        String from = "Initialised from " + init.source() + " (" + init.config().name() + ", "
                + init.config().numClasses() + " classes)";
        return fresh.isEmpty() ? from + ": every tensor loaded"
                : from + ": " + String.join(" and ", fresh) + " start fresh for the " + model.config().numClasses()
                        + " classes here";
    }

    /** The backend, once it is clear that training {@code config} fits in its memory. */
    private Backend createBackend(BackendOptions options, ModelConfig config) {
        Backend backend = BackendFlags.create(settings.backend(), options);
        try {
            checkMemory(backend, config);
            return backend;
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /**
     * Refuses a run whose tensors cannot fit in the JVM heap, before allocating them. Heap backends
     * keep every tensor there; a device backend's memory is its own, and is not estimated here.
     */
    private void checkMemory(Backend backend, ModelConfig config) {
        if (!(backend instanceof HeapBackend)) {
            return;
        }
        Runtime runtime = Runtime.getRuntime();
        System.gc();  // what is in use now is the dataset, not the garbage of reading it
        long free = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
        MemoryEstimate.of(config, settings.batchSize(), settings.optimizer().stateTensorsPerParameter())
                .check(free, runtime.maxMemory(), "--batch-size " + settings.batchSize() + " --image-size "
                        + settings.model().imageSize() + " --width " + settings.model().width());
    }

    /** Resize (when needed), a random crop with padding 1/8 of the side, a horizontal flip, normalize. */
    private static ImagePipeline augmented(ImageSize input, int height, int width) {
        List<ImageTransform> steps = new ArrayList<>();
        if (input.height() != height || input.width() != width) {
            steps.add(new Resize(height, width));
        }
        steps.add(new RandomCrop(height, width, Math.max(1, Math.min(height, width) / 8)));
        steps.add(new RandomHorizontalFlip(0.5f));
        steps.add(Normalize.uniform(input.channels(), 0.5f, 0.5f));
        return ImagePipeline.of(steps);
    }

    /** About {@code limit} images drawn from every class in proportion (a folder dataset is sorted by class). */
    private Dataset limit(Dataset train, int limit) {
        if (limit <= 0 || limit >= train.size()) {
            return train;
        }
        int[] chosen = StratifiedSplit.split(train.labels(), (double) limit / train.size(), settings.seed()).validation();
        return train.subset(train.name() + "/limit" + limit, chosen);
    }

    private Map<String, Object> runInfo(Backend backend, DataParallelStep engine, ModelConfig config, RunData data,
                                        int trainImages) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("command", command);
        info.put("config", settings.describe());
        info.put("model_config", config.toMetadata());
        info.put("parameters", config.parameterCount());
        Map<String, Object> dataset = new LinkedHashMap<>();
        dataset.put("name", settings.dataset().label());
        dataset.put("class_names", data.validation().classNames());
        dataset.put("train_images", trainImages);
        dataset.put("val_images", data.validation().size());
        dataset.put("test_images", data.test() == null ? 0 : data.test().size());
        dataset.put("sha256", data.sha256());
        info.put("dataset", dataset);
        Map<String, Object> environment = new LinkedHashMap<>();
        environment.put("backend", backend.name());
        environment.put("device", backend.deviceDescription());
        environment.put("threads", backend.threads());
        if (engine != null) {
            environment.put("data_parallel", engine.description());
        }
        environment.put("jdk", System.getProperty("java.vm.vendor") + " " + Runtime.version());
        environment.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        environment.put("processors", Runtime.getRuntime().availableProcessors());
        info.put("environment", environment);
        return info;
    }
}
