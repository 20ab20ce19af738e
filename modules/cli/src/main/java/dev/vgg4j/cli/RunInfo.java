package dev.vgg4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code evaluate} and {@code predict} need from the {@code run.json} beside a checkpoint: the
 * dataset it was trained on, its folder and class names. Only these fields of the file that
 * {@link RunFolder} wrote are read back, by pattern, so no JSON library is needed.
 */
record RunInfo(String dataset, Path dataDir, List<String> classNames) {
    private static final String STRING = "\"((?:[^\"\\\\]|\\\\.)*)\"";
    private static final Pattern DATASET = Pattern.compile("\"dataset\": " + STRING);
    private static final Pattern DATA_DIR = Pattern.compile("\"data_dir\": " + STRING);
    private static final Pattern CLASS_NAMES = Pattern.compile("\"class_names\": \\[([^\\]]*)\\]");
    private static final Pattern ELEMENT = Pattern.compile(STRING);

    /** The run.json in the checkpoint's folder, when there is one. */
    static Optional<RunInfo> besideCheckpoint(Path checkpoint) {
        Path file = checkpoint.toAbsolutePath().resolveSibling(RunFolder.RUN_JSON);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    static RunInfo parse(String json) {
        String dataset = first(DATASET, json);
        String dataDir = first(DATA_DIR, json);
        List<String> classNames = new ArrayList<>();
        Matcher list = CLASS_NAMES.matcher(json);
        if (list.find()) {
            Matcher element = ELEMENT.matcher(list.group(1));
            while (element.find()) {
                classNames.add(unescape(element.group(1)));
            }
        }
        return new RunInfo(dataset, dataDir == null ? null : Path.of(dataDir), List.copyOf(classNames));
    }

    private static String first(Pattern pattern, String json) {
        Matcher m = pattern.matcher(json);
        return m.find() ? unescape(m.group(1)) : null;
    }

    /** Undoes {@link JsonWriter}'s escapes. */
    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                out.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(e);
            }
        }
        return out.toString();
    }
}
