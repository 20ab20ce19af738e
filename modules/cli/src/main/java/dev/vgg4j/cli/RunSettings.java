package dev.vgg4j.cli;

import dev.vgg4j.spi.Precision;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a training run is configured with, after the flags were checked. Made with
 * {@link #builder}, whose defaults are the recipe's (vgg16_bn at 50x50, 30 epochs, batch 128,
 * Adam lr 1e-3, a 90/10 split, seed 42).
 *
 * @param dataDir    where the dataset lives, or null for its default place
 * @param limitTrain train on about N images drawn from every class in proportion (after the split), 0 for all
 * @param backend    a backend name, or null for the highest-priority available one
 * @param convAlgorithm the cpu backend's convolution algorithm ({@code --conv-algorithm}), or null for its default
 * @param precision  {@code --precision}: float16 trains with autocast and dynamic loss scaling
 * @param out        the run folder ({@code --out}), or null for the resumed checkpoint's folder or a new
 *                   {@code runs/<timestamp>}
 * @param overwrite  replace an earlier run's files in {@code out} instead of refusing the folder
 * @param resume     a checkpoint to continue from, or null
 */
record RunSettings(DatasetChoice dataset, Path dataDir, boolean download, ModelChoice model,
                   int epochs, int batchSize, double lr, OptimizerChoice optimizer, boolean augment, int limitTrain,
                   double valFraction, String backend, int threads, String convAlgorithm, Precision precision, long seed, Path out, boolean overwrite, Path resume) {

    /** A builder with the recipe's settings for {@code dataset}. */
    static Builder builder(DatasetChoice dataset) {
        return new Builder(dataset);
    }

    /** The configuration as {@code run.json} records it. */
    Map<String, Object> describe() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("dataset", dataset.label());
        map.put("data_dir", dataDir == null ? null : dataDir.toString());
        model.describe(map);
        map.put("epochs", epochs);
        map.put("batch_size", batchSize);
        map.put("lr", lr);
        map.put("optimizer", optimizer.label());
        map.put("scheduler", "ReduceLROnPlateau(mode=min, factor=0.1, patience=2)");
        map.put("loss", "CrossEntropyLoss(reduction=sum)");
        map.put("augment", augment);
        map.put("limit_train", limitTrain);
        map.put("val_fraction", valFraction);
        map.put("precision", precision.label());
        map.put("seed", seed);
        map.put("resume", resume == null ? null : resume.toString());
        return map;
    }

    /** Sets what differs from the recipe; {@link #build()} makes the settings. */
    static final class Builder {
        private final DatasetChoice dataset;
        private Path dataDir;
        private boolean download;
        private ModelChoice model = ModelChoice.named("vgg16_bn", 1.0, 50);
        private int epochs = 30;
        private int batchSize = 128;
        private double lr = 1e-3;
        private OptimizerChoice optimizer = OptimizerChoice.ADAM;
        private boolean augment;
        private int limitTrain;
        private double valFraction = 0.1;
        private String backend;
        private int threads;
        private String convAlgorithm;
        private Precision precision = Precision.FP32;
        private long seed = 42;
        private Path out;
        private boolean overwrite;
        private Path resume;

        private Builder(DatasetChoice dataset) {
            this.dataset = Objects.requireNonNull(dataset, "dataset");
        }

        /** Where the dataset is, and whether to download it there when missing. */
        Builder data(Path dir, boolean downloadIfMissing) {
            this.dataDir = dir;
            this.download = downloadIfMissing;
            return this;
        }

        Builder model(ModelChoice m) {
            this.model = Objects.requireNonNull(m, "model");
            return this;
        }

        Builder epochs(int n) {
            this.epochs = n;
            return this;
        }

        Builder batchSize(int n) {
            this.batchSize = n;
            return this;
        }

        Builder optimizer(OptimizerChoice choice, double learningRate) {
            this.optimizer = Objects.requireNonNull(choice, "optimizer");
            this.lr = learningRate;
            return this;
        }

        Builder augment(boolean on) {
            this.augment = on;
            return this;
        }

        Builder limitTrain(int images) {
            this.limitTrain = images;
            return this;
        }

        /**
         * The backend's name (null: the fastest available), host threads (0: all processors) and the cpu
         * backend's convolution algorithm (null: its default).
         */
        Builder backend(String name, int hostThreads, String cpuConvAlgorithm) {
            this.backend = name;
            this.threads = hostThreads;
            this.convAlgorithm = cpuConvAlgorithm;
            return this;
        }

        Builder precision(Precision p) {
            this.precision = Objects.requireNonNull(p, "precision");
            return this;
        }

        Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** The run folder (null: a new one, or the resumed run's) and whether to replace an earlier run in it. */
        Builder out(Path folder, boolean replace) {
            this.out = folder;
            this.overwrite = replace;
            return this;
        }

        Builder resume(Path checkpoint) {
            this.resume = checkpoint;
            return this;
        }

        RunSettings build() {
            return new RunSettings(dataset, dataDir, download, model, epochs, batchSize, lr, optimizer, augment,
                    limitTrain, valFraction, backend, threads, convAlgorithm, precision, seed, out, overwrite, resume);
        }
    }
}
