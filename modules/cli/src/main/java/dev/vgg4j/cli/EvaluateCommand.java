package dev.vgg4j.cli;

import dev.vgg4j.data.Batch;
import dev.vgg4j.data.DataLoader;
import dev.vgg4j.data.Dataset;
import dev.vgg4j.data.transform.ImagePipeline;
import dev.vgg4j.model.ModelConfig;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.train.Predictor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vgg4j evaluate}: loss, accuracy, per-class accuracy and confusion matrix of a checkpoint on a test set. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a checkpoint on a dataset's test set (a folder dataset: all its images).")
final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    CheckpointFlags checkpointFlags;

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "cifar10, fashion-mnist, fashion-mnist-sample or folder:PATH "
                    + "(default: the run's dataset, from run.json beside the checkpoint).")
    String dataset;

    @Mixin
    DataFlags dataFlags;

    @Mixin
    BackendFlags backendFlags;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        int batchSize = dataFlags.batchSize();
        PrintWriter out = spec.commandLine().getOut();
        Path checkpoint = checkpointFlags.checkpoint;
        // The checkpoint and its run.json first: a bad one is reported before minutes of dataset loading.
        backendFlags.check();
        try (Backend backend = backendFlags.create(BackendOptions.defaults());
             Predictor model = Predictor.load(checkpointFlags.read(), backend)) {
            Optional<RunInfo> run = RunInfo.besideCheckpoint(checkpoint);
            DatasetChoice choice = DatasetChoice.parse(
                    dataset != null ? dataset : run.map(RunInfo::dataset).orElse("cifar10"));
            Path dir = dataFlags.dataDir != null ? dataFlags.dataDir : run.map(RunInfo::dataDir).orElse(null);
            DatasetChoice.Loaded data = choice.load(dir, false, out);
            Dataset test = data.test() != null ? data.test() : data.train();
            checkCompatible(model.config(), test, choice);
            ConfusionMatrix confusion = new ConfusionMatrix(test.numClasses());
            double summedLoss = run(model, test, batchSize, confusion);
            out.printf(Locale.ROOT, "Evaluated %s (%s) on %s: %d images, backend %s%n", checkpoint, model.config().name(),
                    test.name(), test.size(), backend.name());
            out.printf(Locale.ROOT, "Loss: %.5f | Accuracy: %.3f%n", summedLoss / test.size(), confusion.accuracy());
            confusion.print(test.classNames(), out);
        }
        return 0;
    }

    /** Runs every test batch through the model; returns the summed cross-entropy and fills {@code confusion}. */
    private static double run(Predictor model, Dataset test, int batchSize, ConfusionMatrix confusion) {
        int classes = model.config().numClasses();
        ImagePipeline pipeline = model.pipeline(test.imageSize());
        double summedLoss = 0;
        try (DataLoader loader = new DataLoader(test, pipeline, DataLoader.Options.evaluation(batchSize));
             DataLoader.Epoch batches = loader.epoch(0)) {
            while (batches.hasNext()) {
                Batch batch = batches.next();
                float[] logits = model.logits(batch.images(), batch.size());
                for (int i = 0; i < batch.size(); i++) {
                    int label = batch.labels()[i];
                    summedLoss += Scores.crossEntropy(logits, i, classes, label);
                    confusion.add(label, Scores.argmax(logits, i, classes));
                }
            }
        }
        return summedLoss;
    }

    static void checkCompatible(ModelConfig config, Dataset data, DatasetChoice choice) {
        if (config.inChannels() != data.channels() || config.numClasses() != data.numClasses()) {
            throw new BadInputException("--checkpoint holds " + config.name() + " for " + config.numClasses()
                    + " classes of " + config.inChannels() + "-channel images, but " + choice.label() + " has "
                    + data.numClasses() + " classes of " + data.channels() + "-channel images");
        }
    }

    /** Counts of (true class, predicted class). */
    static final class ConfusionMatrix {
        private final long[][] counts;

        ConfusionMatrix(int classes) {
            counts = new long[classes][classes];
        }

        void add(int truth, int predicted) {
            counts[truth][predicted]++;
        }

        long count(int truth, int predicted) {
            return counts[truth][predicted];
        }

        double accuracy() {
            long correct = 0;
            long total = 0;
            for (int t = 0; t < counts.length; t++) {
                correct += counts[t][t];
                for (long c : counts[t]) {
                    total += c;
                }
            }
            return total == 0 ? 0 : (double) correct / total;
        }

        void print(List<String> names, PrintWriter out) {
            out.println("Per-class accuracy:");
            for (int t = 0; t < counts.length; t++) {
                long total = 0;
                for (long c : counts[t]) {
                    total += c;
                }
                out.printf(Locale.ROOT, "  %2d %-14s %.3f (%d/%d)%n", t, names.get(t),
                        total == 0 ? 0.0 : (double) counts[t][t] / total, counts[t][t], total);
            }
            out.println("Confusion matrix (rows: true class, columns: predicted class):");
            StringBuilder header = new StringBuilder("     ");
            for (int p = 0; p < counts.length; p++) {
                header.append(String.format(Locale.ROOT, "%6d", p));
            }
            out.println(header);
            for (int t = 0; t < counts.length; t++) {
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %2d ", t));
                for (long c : counts[t]) {
                    row.append(String.format(Locale.ROOT, "%6d", c));
                }
                out.println(row);
            }
        }
    }
}
