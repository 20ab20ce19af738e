package dev.vgg4j.cli;

import dev.vgg4j.model.ClassifierLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The flags that choose the model a run trains: an architecture, or weights to fine-tune. */
final class ModelFlags {
    @Option(names = "--model", paramLabel = "NAME",
            description = "vgg11, vgg13, vgg16, vgg19, each with or without _bn (default: vgg16_bn).")
    String model;

    @Option(names = "--width", paramLabel = "X",
            description = "Channel width multiplier, e.g. 0.125 for a small model (default: 1).")
    Double width;

    @Option(names = "--image-size", defaultValue = "50", paramLabel = "S|HxW",
            description = "Images are resized to S x S, or H x W (default: ${DEFAULT-VALUE}).")
    String imageSize;

    @Option(names = "--dropout", paramLabel = "P",
            description = "Dropout probability of the classifier, 0 for none (default: 0.5).")
    Float dropout;

    @Option(names = "--hidden", paramLabel = "N",
            description = "Hidden size of the classifier (default: 4096 x width).")
    Integer hidden;

    @Option(names = "--classifier", paramLabel = "LAYOUT",
            description = "recipe (Flatten, Dropout, Linear, ReLU, ...) or torchvision (7x7 adaptive average pool, "
                    + "Linear, ReLU, Dropout, ...; loads torchvision's weights at any image size) (default: recipe).")
    String classifier;

    @Option(names = "--init", paramLabel = "FILE",
            description = "Fine-tune: start from these weights (a vgg4j checkpoint or a plain torchvision state dict, "
                    + "whose architecture is used); the last Linear starts fresh when the class count differs.")
    Path init;

    /** The flags, checked: anything out of range is a {@link BadInputException} naming the flag. */
    ModelChoice choice() {
        int[] size = CheckpointFlags.parseImageSize(imageSize);
        if (dropout != null && !(dropout >= 0f && dropout < 1f)) {
            throw new BadInputException("--dropout: expected a probability in [0, 1), got " + dropout);
        }
        if (hidden != null && hidden < 1) {
            throw new BadInputException("--hidden: expected a positive size, got " + hidden);
        }
        ClassifierLayout layout;
        try {
            layout = classifier == null ? ClassifierLayout.RECIPE : ClassifierLayout.parse(classifier);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--classifier: " + e.getMessage());
        }
        if (init != null) {
            String given = model != null ? "--model" : width != null ? "--width" : hidden != null ? "--hidden"
                    : classifier != null ? "--classifier" : null;
            if (given != null) {
                throw new BadInputException(given + ": not with --init, whose file gives the architecture");
            }
            if (Files.notExists(init)) {
                throw new BadInputException("--init: no file " + init);
            }
        }
        return new ModelChoice(model == null ? "vgg16_bn" : model, width == null ? 1.0 : width, size[0], size[1],
                dropout, hidden == null ? 0 : hidden, layout, init);
    }
}
