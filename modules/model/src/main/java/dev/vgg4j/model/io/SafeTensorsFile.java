package dev.vgg4j.model.io;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contents of a safetensors file: its tensors in file order and its {@code __metadata__}
 * (without vgg4j's checksum, which {@link SafeTensors#read} has already verified).
 */
public record SafeTensorsFile(Path file, Map<String, TensorEntry> tensors, Map<String, String> metadata) {

    public SafeTensorsFile {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** The tensor called {@code name}, or an error naming the file and the missing key. */
    public TensorEntry tensor(String name) throws CheckpointException {
        TensorEntry t = tensors.get(name);
        if (t == null) {
            throw new CheckpointException(file + ": has no tensor '" + name + "'");
        }
        return t;
    }

    /** The metadata value of {@code key}, or an error naming the file and the missing key. */
    public String metadata(String key) throws CheckpointException {
        String v = metadata.get(key);
        if (v == null) {
            throw new CheckpointException(file + ": has no metadata '" + key + "'");
        }
        return v;
    }
}
