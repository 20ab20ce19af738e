package dev.vgg4j.train;

/**
 * How far the running epoch's training pass got: the batches done and what they summed to. A
 * checkpoint written inside an epoch (Ctrl-C) keeps it, so a resumed run continues at the next
 * batch and reports the same epoch totals as an uninterrupted one.
 *
 * @param batchesDone batches of the epoch already trained
 * @param summedLoss  their losses, summed over samples
 */
record EpochProgress(int batchesDone, double summedLoss, long correct, long samples) {
    static final EpochProgress START = new EpochProgress(0, 0, 0, 0);

    EpochProgress plus(CrossEntropyLoss.Result step) {
        return new EpochProgress(batchesDone + 1, summedLoss + step.summedLoss(), correct + step.correct(),
                samples + step.samples());
    }

    Evaluation evaluation() {
        return Evaluation.of(summedLoss, correct, samples);
    }
}
