package dev.vgg4j.tck;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.core.Shape;

/** Checks that a rejection says which op refused and which shapes did not fit. */
public final class ShapeMessages {
    private ShapeMessages() {}

    public static void assertNames(RuntimeException e, String op, Shape... shapes) {
        String message = String.valueOf(e.getMessage());
        assertTrue(message.contains(op), () -> "message does not name the op '" + op + "': " + message);
        for (Shape s : shapes) {
            assertTrue(message.contains(s.toString()), () -> "message does not name shape " + s + ": " + message);
        }
    }
}
