package dev.vgg4j.cli;

import dev.vgg4j.model.io.Json;
import dev.vgg4j.train.RunOutputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code evaluate}, {@code predict} and {@code train --resume} need from the {@code run.json}
 * beside a checkpoint: the dataset it was trained on, its folder, class names and the run's
 * configuration ({@link RunSettings#describe()}, as parsed JSON). A run.json that is there but is not one
 * {@link RunFolder} wrote is an error, not ignored: the dataset and class names would silently be wrong.
 */
record RunInfo(String dataset, Path dataDir, List<String> classNames, Map<?, ?> config) {
    /** Far above any run.json written (a few KB, with every class name); a bigger file is not one. */
    private static final long MAX_BYTES = 1 << 20;

    /** The run.json in the checkpoint's folder, when there is one. */
    static Optional<RunInfo> besideCheckpoint(Path checkpoint) {
        Path file = checkpoint.toAbsolutePath().resolveSibling(RunFolder.RUN_JSON);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) {
                throw new BadInputException(file + ": not a vgg4j run.json (a regular file of at most "
                        + MAX_BYTES + " bytes); move it away to use the checkpoint without it");
            }
            return Optional.of(parse(Files.readString(file), file.toString()));
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read: " + RunOutputException.reason(e));
        }
    }

    /** @param source the file, for messages */
    static RunInfo parse(String json, String source) {
        try {
            Map<?, ?> root = object(Json.parse(json), "the file");
            Map<?, ?> config = object(root.get("config"), "\"config\"");
            Map<?, ?> dataset = object(root.get("dataset"), "\"dataset\"");
            String name = string(config.get("dataset"), "\"config\".\"dataset\"");
            Object dataDir = config.get("data_dir");
            List<String> classNames = new ArrayList<>();
            if (!(dataset.get("class_names") instanceof List<?> names)) {
                throw new IllegalArgumentException("\"dataset\".\"class_names\" is not a list");
            }
            for (Object n : names) {
                classNames.add(string(n, "a class name"));
            }
            return new RunInfo(name, dataDir == null ? null : Path.of(string(dataDir, "\"config\".\"data_dir\"")),
                    List.copyOf(classNames), config);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(source + ": not a vgg4j run.json (" + e.getMessage()
                    + "); move it away to use the checkpoint without it");
        }
    }

    private static Map<?, ?> object(Object value, String what) {
        if (value instanceof Map<?, ?> map) {
            return map;
        }
        throw new IllegalArgumentException(what + " is not a JSON object");
    }

    private static String string(Object value, String what) {
        if (value instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException(what + " is not a string");
    }
}
