package dev.vgg4j.cli;

import dev.vgg4j.model.ClassifierLayout;
import dev.vgg4j.model.ModelConfig;
import dev.vgg4j.model.Models;
import dev.vgg4j.model.VggConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * The model a run trains, after the flags were checked: a named architecture, or the weights of
 * {@code init} to fine-tune (whose file then gives the architecture).
 *
 * @param dropout the classifier's dropout, or null for the model's (0.5)
 * @param hidden the classifier's hidden size, or 0 for {@code 4096 x width}
 * @param init weights to start from (a vgg4j checkpoint or a plain torchvision state dict), or null
 */
record ModelChoice(String model, double width, int imageHeight, int imageWidth, Float dropout, int hidden,
                   ClassifierLayout classifier, Path init) {

    /** A named model with the recipe's classifier. */
    static ModelChoice named(String model, double width, int imageSize) {
        return new ModelChoice(model, width, imageSize, imageSize, null, 0, ClassifierLayout.RECIPE, null);
    }

    /** The config of a named model for {@code channels}-channel images of {@code classes} classes. */
    ModelConfig config(int channels, int classes, long seed) {
        ModelConfig named;
        try {
            named = Models.named(model);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--model: " + e.getMessage());
        }
        try {
            if (named instanceof VggConfig vgg) {
                vgg = vgg.withWidth(width).withHidden(hidden).withClassifier(classifier);
                named = dropout == null ? vgg : vgg.withDropout(dropout);
            }
            return named.withInChannels(channels).withImageSize(imageHeight, imageWidth).withNumClasses(classes)
                    .withSeed(seed);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--width/--image-size/--hidden/--dropout: " + e.getMessage());
        }
    }

    /** {@code base} (the model of {@link #init}) for this run's images, classes, seed and dropout. */
    ModelConfig fineTune(ModelConfig base, int channels, int classes, long seed, String data) {
        if (base.inChannels() != channels) {
            throw new BadInputException("--init " + init + ": its " + base.name() + " takes " + base.inChannels()
                    + "-channel images, " + data + " has " + channels + "-channel images");
        }
        try {
            ModelConfig config = base.withImageSize(imageHeight, imageWidth).withNumClasses(classes).withSeed(seed);
            return dropout != null && config instanceof VggConfig vgg ? vgg.withDropout(dropout) : config;
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--init/--image-size/--dropout: " + e.getMessage());
        }
    }

    /** The image size as flags write it: {@code S} or {@code HxW}. */
    String imageSize() {
        return imageHeight == imageWidth ? Integer.toString(imageHeight) : imageHeight + "x" + imageWidth;
    }

    /** The model's entries of {@code run.json}. */
    void describe(Map<String, Object> map) {
        map.put("model", init == null ? model : null);
        map.put("width", width);
        map.put("image_size", imageSize());
        map.put("dropout", dropout);
        map.put("hidden", hidden);
        map.put("classifier", classifier.label());
        map.put("init", init == null ? null : init.toString());
    }
}
