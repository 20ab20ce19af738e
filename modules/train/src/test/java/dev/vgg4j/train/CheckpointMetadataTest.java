package dev.vgg4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vgg4j.model.io.CheckpointException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckpointMetadataTest {
    private final Map<String, String> metadata = Map.of("steps", "12", "lr", "1e-3", "bad", "x1");

    @Test
    void readsTypedValues() throws CheckpointException {
        assertEquals(12L, CheckpointMetadata.getLong(metadata, "steps", "a.safetensors"));
        assertEquals(1e-3, CheckpointMetadata.getDouble(metadata, "lr", "a.safetensors"));
    }

    @Test
    void errorsNameTheFileTheKeyAndWhatWasExpected() {
        assertEquals("a.safetensors: metadata 'bad' = 'x1', expected an integer", assertThrows(CheckpointException.class,
                () -> CheckpointMetadata.getLong(metadata, "bad", "a.safetensors")).getMessage());
        assertEquals("a.safetensors: metadata 'bad' = 'x1', expected a number", assertThrows(CheckpointException.class,
                () -> CheckpointMetadata.getDouble(metadata, "bad", "a.safetensors")).getMessage());
        assertEquals("a.safetensors: metadata 'lr' = '1e-3', expected an integer", assertThrows(CheckpointException.class,
                () -> CheckpointMetadata.getLong(metadata, "lr", "a.safetensors")).getMessage());
    }
}
