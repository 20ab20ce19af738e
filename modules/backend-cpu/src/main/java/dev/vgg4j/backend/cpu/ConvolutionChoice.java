package dev.vgg4j.backend.cpu;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.Conv2dSpec;
import java.util.Locale;

/**
 * Which {@link ConvolutionAlgorithm} a layer gets, set by the backend option {@value #OPTION}:
 * {@code auto} (default) applies a fixed rule, measured once on VGG16's layers, so that a run's
 * choices, and therefore its bits, do not depend on timing noise; {@code im2col} and
 * {@code winograd} force one (Winograd where it applies: 3x3, stride 1, padding 1; im2col elsewhere).
 */
enum ConvolutionChoice {
    AUTO, IM2COL, WINOGRAD;

    /** The {@link BackendOptions#extra()} key. */
    static final String OPTION = "cpu.conv-algorithm";
    /**
     * Auto's rule: Winograd from this many input channels up. Below, the tile transforms cost more
     * than the multiplies they save (VGG's first layer, 3 channels).
     */
    static final int WINOGRAD_MIN_CHANNELS = 16;

    static ConvolutionChoice of(BackendOptions options) {
        String value = options.extra().getOrDefault(OPTION, "auto");
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "im2col" -> IM2COL;
            case "winograd" -> WINOGRAD;
            default -> throw new IllegalArgumentException("backend option " + OPTION
                    + ": expected auto, im2col or winograd, got '" + value + "'");
        };
    }

    /** The algorithm for one layer. */
    ConvolutionAlgorithm pick(Shape input, Shape weight, Conv2dSpec spec, ConvolutionAlgorithm im2col,
                              ConvolutionAlgorithm winograd) {
        boolean wantWinograd = switch (this) {
            case IM2COL -> false;
            case WINOGRAD -> true;
            case AUTO -> weight.dim(1) >= WINOGRAD_MIN_CHANNELS;
        };
        return wantWinograd && winograd.supports(input, weight, spec) ? winograd : im2col;
    }
}
