package dev.vgg4j.core;

/** An op was given tensors whose shapes do not fit together; the message names the op and the shapes. */
public class ShapeException extends IllegalArgumentException {
    public ShapeException(String message) {
        super(message);
    }
}
