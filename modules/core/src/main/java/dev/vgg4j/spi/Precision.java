package dev.vgg4j.spi;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The arithmetic a backend trains in. {@link #FP32} is every op in float32. {@link #FP16} is
 * {@code torch.autocast(dtype=float16)}: the GEMM-based ops (convolutions, linear layers, {@code gemm})
 * take float16 inputs, accumulate in float32 and round their outputs to float16; everything else,
 * the parameters and the optimizer state stay float32. It is meant to be used with loss scaling
 * ({@code GradScaler}), since small gradients flush to zero in float16. A provider says which it
 * supports ({@link BackendProvider#precisions()}), and {@link BackendOptions#precision()} asks for one.
 */
public enum Precision {
    FP32,
    FP16;

    /** The name on the command line, e.g. {@code "fp16"}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The precision called {@code label} ({@code fp32} or {@code fp16}); anything else names the choices. */
    public static Precision parse(String label) {
        for (Precision p : values()) {
            if (p.label().equals(label)) {
                return p;
            }
        }
        throw new IllegalArgumentException("expected " + Arrays.stream(values()).map(Precision::label)
                .collect(Collectors.joining(" or ")) + ", got '" + label + "'");
    }
}
