package dev.vgg4j.train;

/**
 * One training step, after its loss came back from the device.
 *
 * @param epoch         1-based
 * @param batch         0-based index within the epoch
 * @param summedLoss    the batch's loss summed over its samples
 * @param learningRate  the rate this step used
 */
public record StepResult(int epoch, int epochs, int batch, int batchesPerEpoch, double summedLoss, long correct,
                         int samples, double learningRate) {

    /** Mean loss per sample of this batch. */
    public double loss() {
        return summedLoss / samples;
    }
}
