package dev.vgg4j.cli;

import dev.vgg4j.model.ModelConfig;
import dev.vgg4j.model.Models;
import dev.vgg4j.model.VggConfig;
import dev.vgg4j.model.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code train --resume FILE} continues a run without its flags given again: every flag left out
 * takes the resumed run's value instead of its default. The model, width, image size and seed come
 * from the checkpoint itself; the dataset and training flags from the {@code run.json} beside it,
 * when there is one. A flag given on the command line stays as given, and one that contradicts the
 * checkpoint is refused when the checkpoint is restored.
 */
final class ResumedFlags {
    /** run.json's configuration keys ({@link RunSettings#describe()}) and the flags they come from. */
    private static final Map<String, String> RUN_JSON_FLAGS = Map.of("dataset", "--dataset", "data_dir", "--data-dir",
            "epochs", "--epochs", "batch_size", "--batch-size", "lr", "--lr", "optimizer", "--optimizer",
            "augment", "--augment", "limit_train", "--limit-train", "precision", "--precision");

    private ResumedFlags() {}

    /** Sets the options of {@code command} that its command line left out from the run of {@code checkpoint}. */
    static void fillIn(CommandSpec command, Path checkpoint) throws IOException {
        Map<String, Object> values = new LinkedHashMap<>();
        Optional<RunInfo> run = RunInfo.besideCheckpoint(checkpoint);
        run.ifPresent(info -> RUN_JSON_FLAGS.forEach((key, flag) -> {
            if (info.config().containsKey(key)) {
                Object value = info.config().get(key);
                values.put(flag, key.equals("optimizer") ? OptimizerChoice.flagOfLabel(String.valueOf(value)) : value);
            }
        }));
        Map<String, String> metadata = SafeTensors.read(checkpoint).metadata();
        if (Models.isIn(metadata)) {
            ModelConfig model = Models.fromMetadata(metadata, checkpoint.toString());
            values.put("--model", model.name());
            if (model instanceof VggConfig vgg) {
                values.put("--width", vgg.width());
                values.put("--dropout", vgg.dropout());
                values.put("--classifier", vgg.classifier().label());
                if (vgg.hidden() > 0) {
                    values.put("--hidden", vgg.hidden());
                }
            }
            values.put("--image-size", model.imageHeight() == model.imageWidth() ? model.imageHeight()
                    : model.imageHeight() + "x" + model.imageWidth());
        }
        Optional.ofNullable(metadata.get("trainer.train_loader_seed")).ifPresent(seed -> values.put("--seed", seed));

        ParseResult given = command.commandLine().getParseResult();
        values.forEach((flag, value) -> {
            if (!given.hasMatchedOption(flag)) {
                set(command.findOption(flag), value, checkpoint);
            }
        });
    }

    /** {@code value} (a JSON value or metadata string) as the option's type. */
    private static void set(OptionSpec option, Object value, Path checkpoint) {
        Class<?> type = option.type();
        try {
            Object typed = value == null ? null
                    : type == int.class || type == Integer.class ? Integer.parseInt(value.toString())
                    : type == long.class ? Long.parseLong(value.toString())
                    : type == double.class || type == Double.class ? Double.parseDouble(value.toString())
                    : type == Float.class ? Float.parseFloat(value.toString())
                    : type == boolean.class ? Boolean.parseBoolean(value.toString())
                    : type == Path.class ? Path.of(value.toString())
                    : value.toString();
            if (typed != null || !type.isPrimitive()) {
                option.setValue(typed);
            }
        } catch (NumberFormatException e) {
            throw new BadInputException("--resume " + checkpoint + ": its run's " + option.longestName() + " is '" + value
                    + "', not a " + type.getSimpleName() + "; give " + option.longestName() + " on the command line");
        }
    }
}
