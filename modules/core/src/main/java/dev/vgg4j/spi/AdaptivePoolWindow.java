package dev.vgg4j.spi;

/**
 * The windows of {@link Backend#adaptiveAvgPool2dForward} along one axis, PyTorch's: output
 * {@code i} of {@code out} over an input of {@code in} covers input indices
 * {@code start(i, in, out) .. end(i, in, out) - 1}.
 *
 * <p>The same two functions with {@code in} and {@code out} swapped give the outputs whose windows
 * hold input index {@code h}: {@code start(h, out, in) .. end(h, out, in) - 1}, because
 * {@code floor(i*in/out) <= h} exactly when {@code i < ceil((h+1)*out/in)} and
 * {@code ceil((i+1)*in/out) > h} exactly when {@code i >= floor(h*out/in)}. A backward can gather
 * with them instead of scattering.
 */
public final class AdaptivePoolWindow {
    private AdaptivePoolWindow() {}

    /** {@code floor(i * in / out)}, the first input index of window {@code i}. */
    public static int start(int i, int in, int out) {
        return (int) ((long) i * in / out);
    }

    /** {@code ceil((i + 1) * in / out)}, one past the last input index of window {@code i}. */
    public static int end(int i, int in, int out) {
        return (int) (((long) (i + 1) * in + out - 1) / out);
    }
}
