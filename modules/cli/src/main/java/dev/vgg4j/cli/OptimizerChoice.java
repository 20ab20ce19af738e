package dev.vgg4j.cli;

import dev.vgg4j.model.Parameter;
import dev.vgg4j.spi.AdamParams;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.SgdParams;
import dev.vgg4j.train.Adam;
import dev.vgg4j.train.Optimizer;
import dev.vgg4j.train.Sgd;
import java.util.List;

/** The value of {@code --optimizer}: the recipe's Adam, or SGD with momentum 0.9. */
enum OptimizerChoice {
    ADAM, SGD;

    static OptimizerChoice parse(String value) {
        return switch (value) {
            case "adam" -> ADAM;
            case "sgd" -> SGD;
            default -> throw new BadInputException("--optimizer: '" + value + "' is not an optimizer; expected adam or sgd");
        };
    }

    /** The {@code --optimizer} value of the choice whose {@link #label()} run.json recorded. */
    static String flagOfLabel(String label) {
        for (OptimizerChoice choice : values()) {
            if (choice.label().equals(label)) {
                return choice.name().toLowerCase(java.util.Locale.ROOT);
            }
        }
        return label;
    }

    /** State tensors the optimizer keeps per parameter: Adam's two moments, SGD's momentum buffer. */
    int stateTensorsPerParameter() {
        return this == ADAM ? 2 : 1;
    }

    String label() {
        return this == ADAM ? "Adam(betas=(0.9, 0.999), eps=1e-8)" : "SGD(momentum=0.9)";
    }

    Optimizer create(Backend backend, List<Parameter> parameters, double lr) {
        return switch (this) {
            case ADAM -> new Adam(backend, parameters, AdamParams.adam((float) lr));
            case SGD -> new Sgd(backend, parameters, new SgdParams((float) lr, 0.9f, 0f, 0f, false));
        };
    }
}
