package dev.vgg4j.train;

/**
 * The recipe's {@code track_performance}: loss = sum over batches of the summed loss / samples,
 * accuracy = correct / samples.
 */
public record Evaluation(double loss, double accuracy, long samples) {

    static Evaluation of(double summedLoss, long correct, long samples) {
        return new Evaluation(summedLoss / samples, (double) correct / samples, samples);
    }
}
