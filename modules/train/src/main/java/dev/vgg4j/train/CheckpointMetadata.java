package dev.vgg4j.train;

import dev.vgg4j.model.io.CheckpointException;
import java.util.Map;
import java.util.function.Function;

/** Typed reads of checkpoint metadata strings, with errors that name the checkpoint and the key. */
final class CheckpointMetadata {
    private CheckpointMetadata() {}

    static String get(Map<String, String> metadata, String key, String source) throws CheckpointException {
        String value = metadata.get(key);
        if (value == null) {
            throw new CheckpointException(source + ": metadata '" + key
                    + "' is missing (not a vgg4j training checkpoint, or one of another configuration)");
        }
        return value;
    }

    static long getLong(Map<String, String> metadata, String key, String source) throws CheckpointException {
        return parsed(metadata, key, source, Long::parseLong, "an integer");
    }

    static double getDouble(Map<String, String> metadata, String key, String source) throws CheckpointException {
        return parsed(metadata, key, source, Double::parseDouble, "a number");
    }

    private static <T> T parsed(Map<String, String> metadata, String key, String source, Function<String, T> parser,
                                String expected) throws CheckpointException {
        String value = get(metadata, key, source);
        try {
            return parser.apply(value);
        } catch (NumberFormatException e) {
            throw new CheckpointException(source + ": metadata '" + key + "' = '" + value + "', expected " + expected);
        }
    }
}
