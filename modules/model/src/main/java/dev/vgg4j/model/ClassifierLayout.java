package dev.vgg4j.model;

import java.util.Locale;

/**
 * The order of a VGG classifier's layers. Both keep torchvision's state-dict keys for the three
 * Linears ({@code classifier.0/3/6}).
 */
public enum ClassifierLayout {
    /**
     * The recipe's: Flatten, Dropout, Linear, ReLU, Dropout, Linear, ReLU, Linear; the first Linear
     * takes the last feature map as it is ({@code C * h * w}, 512 at 32x32).
     */
    RECIPE,
    /**
     * torchvision's: AdaptiveAvgPool2d(7x7), Flatten, Linear, ReLU, Dropout, Linear, ReLU, Dropout,
     * Linear; the first Linear takes {@code C * 7 * 7} (25088) at any input size, so torchvision's
     * own weights load.
     */
    TORCHVISION;

    /** The name in flags and metadata: {@code recipe} or {@code torchvision}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The layout called {@code label}; an unknown name is an {@link IllegalArgumentException} listing both. */
    public static ClassifierLayout parse(String label) {
        for (ClassifierLayout l : values()) {
            if (l.label().equals(label)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown classifier layout '" + label + "'; expected recipe or torchvision");
    }
}
