package dev.vgg4j.train;

import java.util.ArrayList;
import java.util.List;

/** Keeps every step's and epoch's result in memory, for plots, reports and tests. */
public final class MetricsRecorder implements TrainingListener {
    private final List<StepResult> steps = new ArrayList<>();
    private final List<EpochResult> epochs = new ArrayList<>();

    @Override
    public void onStep(StepResult step) {
        steps.add(step);
    }

    @Override
    public void onEpochEnd(EpochResult epoch, Trainer trainer) {
        epochs.add(epoch);
    }

    public List<StepResult> steps() {
        return List.copyOf(steps);
    }

    public List<EpochResult> epochs() {
        return List.copyOf(epochs);
    }

    /** Mean loss per sample of each step, in order. */
    public double[] stepLosses() {
        return steps.stream().mapToDouble(StepResult::loss).toArray();
    }
}
