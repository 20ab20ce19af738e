package dev.vgg4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.core.Shape;
import dev.vgg4j.core.ShapeException;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Host transfers, views, ownership, closing and {@code capture}. */
public abstract class MemoryConformance extends OpConformance {

    protected MemoryConformance(BackendConformance kit) {
        super(kit);
    }

    @Test
    void describesItself() {
        assertFalse(backend.name().isBlank(), "name");
        assertFalse(backend.deviceDescription().isBlank(), "deviceDescription");
        assertTrue(backend.threads() >= 1, () -> "threads " + backend.threads());
    }

    @Test
    void uploadThenDownloadReturnsTheSameBits() {
        float[] values = randomValues(2 * 3 * 5 * 7);
        values[3] = Float.MIN_VALUE;
        values[4] = -0f;
        values[5] = Float.MAX_VALUE;
        Tensor t = backend.upload(values, Shape.nchw(2, 3, 5, 7));
        Closeness.assertSame("download after upload", read(t), values);
    }

    @Test
    void uploadOverwritesAnExistingTensor() {
        Tensor t = poisoned(Shape.matrix(4, 9));
        float[] values = randomValues(36);
        backend.upload(values, t);
        Closeness.assertSame("upload into an existing tensor", read(t), values);
    }

    @Test
    void byteUploadAppliesScaleAndOffset() {
        byte[] bytes = new byte[3 * 50 * 50];
        random.nextBytes(bytes);
        bytes[0] = 0;
        bytes[1] = (byte) 127;
        bytes[2] = (byte) 128;
        bytes[3] = (byte) 255;
        float scale = 2f / 255f;
        float offset = -1f;
        Tensor t = poisoned(Shape.nchw(1, 3, 50, 50));

        backend.upload(bytes, scale, offset, t);

        double[] expected = new double[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            expected[i] = (bytes[i] & 0xFF) * (double) scale + offset;
        }
        Closeness.assertClose("byte upload", read(t), expected, tolerances().forward());
        float[] corners = read(t);
        assertEquals(-1f, corners[0], 1e-6f, "byte 0 -> -1");
        assertEquals(1f, corners[3], 1e-6f, "byte 255 -> 1");
    }

    @Test
    void labelsAreStoredAsExactFloats() {
        int[] labels = random.ints(37, 0, 10).toArray();
        labels[0] = 9;
        Tensor t = poisoned(Shape.of(labels.length));

        backend.uploadLabels(labels, t);

        float[] expected = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            expected[i] = labels[i];
        }
        Closeness.assertSame("uploadLabels", read(t), expected);
    }

    @Test
    void allocateWithValueFillsEveryElement() {
        Tensor t = backend.allocate(Shape.nchw(2, 3, 7, 7), 0.25f);
        float[] expected = new float[t.size()];
        Arrays.fill(expected, 0.25f);
        Closeness.assertSame("allocate(shape, value)", read(t), expected);
    }

    @Test
    void reshapeIsAViewOfTheSameMemory() {
        float[] values = randomValues(2 * 6 * 1 * 1);
        Tensor t = backend.upload(values, Shape.nchw(2, 6, 1, 1));
        Tensor view = t.reshape(Shape.matrix(2, 6));

        assertEquals(Shape.matrix(2, 6), view.shape());
        Closeness.assertSame("view reads the base", read(view), values);
        float[] replacement = randomValues(12);
        backend.upload(replacement, view);
        Closeness.assertSame("base sees writes through the view", read(t), replacement);
        backend.scale(view, 2f);
        float[] doubled = new float[12];
        for (int i = 0; i < 12; i++) {
            doubled[i] = replacement[i] * 2f;
        }
        Closeness.assertSame("ops on the view write the base", read(t), doubled);
    }

    @Test
    void reshapeToAnotherSizeIsRejected() {
        Tensor t = backend.allocate(Shape.matrix(3, 4));
        ShapeException e = assertThrows(ShapeException.class, () -> t.reshape(Shape.matrix(5, 2)));
        ShapeMessages.assertNames(e, "reshape", Shape.matrix(3, 4), Shape.matrix(5, 2));
    }

    @Test
    void transfersOfTheWrongLengthAreRejected() {
        Tensor t = backend.allocate(Shape.matrix(3, 4));
        ShapeException up = assertThrows(ShapeException.class, () -> backend.upload(new float[11], t));
        ShapeMessages.assertNames(up, "upload", t.shape());
        ShapeException bytes = assertThrows(ShapeException.class, () -> backend.upload(new byte[13], 1f, 0f, t));
        ShapeMessages.assertNames(bytes, "upload", t.shape());
        ShapeException down = assertThrows(ShapeException.class, () -> backend.download(t, new float[5]));
        ShapeMessages.assertNames(down, "download", t.shape());
        Tensor labels = backend.allocate(Shape.of(4));
        ShapeException lab = assertThrows(ShapeException.class, () -> backend.uploadLabels(new int[5], labels));
        ShapeMessages.assertNames(lab, "uploadLabels", labels.shape());
    }

    @Test
    void closedTensorsAndTheirViewsAreRejected() {
        Tensor t = given(Shape.matrix(2, 3)).tensor();
        Tensor view = t.reshape(Shape.of(6));
        t.close();

        assertTrue(t.isClosed(), "tensor closed");
        assertTrue(view.isClosed(), "a view of a closed tensor is closed");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> backend.fill(t, 1f));
        assertTrue(e.getMessage().contains("fill"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> backend.download(view));
        t.close();
    }

    @Test
    void closingAViewLeavesTheBaseOpen() {
        float[] values = randomValues(6);
        Tensor t = backend.upload(values, Shape.matrix(2, 3));
        t.reshape(Shape.of(6)).close();
        assertFalse(t.isClosed(), "base after closing a view");
        Closeness.assertSame("base after closing a view", read(t), values);
    }

    @Test
    void aClosedBackendRejectsEverything() {
        Backend other = anotherBackend();
        Tensor t = other.allocate(Shape.of(4));
        other.close();

        assertTrue(t.isClosed(), "tensors of a closed backend are closed");
        assertThrows(IllegalStateException.class, () -> other.allocate(Shape.of(4)));
        assertThrows(IllegalStateException.class, () -> other.fill(t, 1f));
        other.close();
    }

    @Test
    void tensorsOfAnotherBackendAreRejected() {
        try (Backend other = anotherBackend()) {
            Tensor foreign = other.upload(randomValues(6), Shape.matrix(2, 3));
            Tensor mine = poisoned(Shape.matrix(2, 3));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> backend.copy(foreign, mine));
            assertTrue(e.getMessage().contains("copy"), e.getMessage());
        }
    }

    @Test
    void captureRunsTheStepEveryTimeWithItsCurrentArguments() {
        Given x = given(Shape.of(16));
        Tensor y = backend.allocate(Shape.of(16), 0f);
        float[] alpha = {1f};
        int[] runs = {0};
        Runnable step = () -> {
            runs[0]++;
            backend.axpy(alpha[0], x.tensor(), y);
        };

        backend.capture("axpy-step", step);
        alpha[0] = 0.5f;
        backend.capture("axpy-step", step);
        backend.synchronize();

        assertEquals(2, runs[0], "capture runs the step each call");
        double[] expected = new double[16];
        for (int i = 0; i < 16; i++) {
            expected[i] = 1.5 * x.values()[i];
        }
        Closeness.assertClose("y after two captured axpy steps (alpha 1, then 0.5)", read(y), expected,
                tolerances().forward());
    }
}
