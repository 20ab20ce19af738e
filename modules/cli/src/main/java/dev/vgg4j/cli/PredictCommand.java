package dev.vgg4j.cli;

import dev.vgg4j.data.transform.ImageSize;
import dev.vgg4j.datasets.ImageFile;
import dev.vgg4j.model.ModelConfig;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.train.Predictor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vgg4j predict}: the five most likely classes of each image, with probabilities. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Classify PNG/JPEG images with a checkpoint: top-5 classes with probabilities.",
                "Images are resized to the model's input size and read as grey or RGB as the model expects; "
                        + "class names come from run.json beside the checkpoint."})
final class PredictCommand implements Callable<Integer> {
    private static final int TOP = 5;

    @Mixin
    CheckpointFlags checkpointFlags;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "PNG or JPEG files.")
    List<Path> images;

    @Mixin
    BackendFlags backendFlags;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        backendFlags.check();
        try (Backend backend = backendFlags.create(BackendOptions.defaults());
             Predictor model = Predictor.load(checkpointFlags.read(), backend)) {
            ModelConfig config = model.config();
            List<String> names = classNames(config.numClasses());
            for (Path file : images) {
                ImageFile image = ImageFile.read(file, config.inChannels());
                double[] p = model.probabilities(image.pixels(),
                        new ImageSize(image.channels(), image.height(), image.width()));
                out.println(file + ":");
                IntStream.range(0, p.length).boxed()
                        .sorted(Comparator.comparingDouble((Integer k) -> p[k]).reversed())
                        .limit(TOP)
                        .forEach(k -> out.printf(Locale.ROOT, "  %6.2f%%  %s%n", 100 * p[k], names.get(k)));
            }
        }
        return 0;
    }

    /** The names run.json gives, which must be one per class; {@code class k} without a run.json. */
    private List<String> classNames(int classes) {
        Path checkpoint = checkpointFlags.checkpoint;
        Optional<RunInfo> run = RunInfo.besideCheckpoint(checkpoint);
        if (run.isPresent()) {
            List<String> names = run.get().classNames();
            if (names.size() != classes) {
                throw new BadInputException(checkpoint.toAbsolutePath().resolveSibling(RunFolder.RUN_JSON) + " names "
                        + names.size() + " classes, but --checkpoint " + checkpoint + " has " + classes);
            }
            return names;
        }
        List<String> numbered = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            numbered.add("class " + k);
        }
        return numbered;
    }
}
