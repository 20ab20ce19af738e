package dev.vgg4j.model.io;

import java.io.IOException;

/**
 * A checkpoint file that cannot be used: truncated, corrupt (checksum), not safetensors, or written
 * for another model. The message names the file and what was expected.
 */
public class CheckpointException extends IOException {
    public CheckpointException(String message) {
        super(message);
    }
}
