package dev.vgg4j.tornado;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.backend.reference.ReferenceBackend;
import dev.vgg4j.model.VggConfig;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.tornado.kernels.Params;
import dev.vgg4j.train.CrossEntropyLoss;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A whole training step on the device: it moves only the batch in and the loss out, and its first
 * steps follow the reference backend's.
 */
class DeviceResidencyTest {
    /** A small VGG11-BN (an eighth of the channels) on 32x32 images: every layer kind, quick on PoCL. */
    private static final VggConfig SMALL = VggConfig.named("vgg11_bn").withWidth(0.125).withImageSize(32);
    private static final int BATCH = 8;

    @BeforeAll
    static void tornadoPresent() {
        DeviceFixture.assumeTornado();
    }

    private static TornadoBackend tornado() {
        return DeviceFixture.backend(256);
    }

    @Test
    void aStepMovesTheBatchInAndTheLossOutAndNothingElse() {
        try (TornadoBackend backend = tornado(); TrainingStep step = new TrainingStep(backend, SMALL, BATCH, 7L)) {
            step.run();
            long toDevice = backend.bytesToDevice();
            long toHost = backend.bytesToHost();
            long launches = backend.launches();
            step.run();
            long stepLaunches = backend.launches() - launches;
            long imageBytes = stagedBytes(BATCH * 3 * 32 * 32, 1);
            long labelBytes = stagedBytes(BATCH, Float.BYTES);
            long parameterBytes = (Params.INTS + Params.FLOATS) * 4L * stepLaunches;
            assertEquals(imageBytes + labelBytes + parameterBytes, backend.bytesToDevice() - toDevice,
                    "host to device: the staged image bytes, the labels and each launch's parameters");
            assertEquals(stagedBytes(2, Float.BYTES), backend.bytesToHost() - toHost,
                    "device to host: only the [loss, correct] result");
            assertTrue(backend.bytesToDevice() - toDevice < step.parameterCount() * Float.BYTES,
                    "a step moves less than the model's weights once");
        }
    }

    @Test
    void firstStepsFollowTheReferenceBackend() {
        try (TornadoBackend backend = tornado(); Backend reference = new ReferenceBackend();
             TrainingStep onDevice = new TrainingStep(backend, SMALL, BATCH, 11L);
             TrainingStep onReference = new TrainingStep(reference, SMALL, BATCH, 11L)) {
            for (int s = 0; s < 3; s++) {
                CrossEntropyLoss.Result got = onDevice.run();
                CrossEntropyLoss.Result expected = onReference.run();
                assertEquals(expected.summedLoss(), got.summedLoss(), 1e-3 * Math.abs(expected.summedLoss()),
                        "summed loss of step " + s);
                assertEquals(expected.correct(), got.correct(), "correct count of step " + s);
            }
        }
    }

    /** Bytes a transfer of {@code count} elements moves through the staging array that holds it. */
    private static long stagedBytes(int count, int elementBytes) {
        for (int size : StagedTransfers.STAGE_SIZES) {
            if (count <= size) {
                return (long) size * elementBytes;
            }
        }
        throw new AssertionError("test batch larger than the largest staging array");
    }
}
