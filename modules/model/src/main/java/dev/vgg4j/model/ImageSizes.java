package dev.vgg4j.model;

/** Image sizes written as {@code S} (square) or {@code HxW}, in flags and metadata. */
public final class ImageSizes {
    private ImageSizes() {}

    /** {@code "50"} -> {50, 50}, {@code "48x64"} -> {48, 64}; anything else is an {@link IllegalArgumentException}. */
    public static int[] parse(String text) {
        String[] parts = text.trim().split("x", -1);
        if (parts.length > 2) {
            throw bad(text);
        }
        try {
            int h = Integer.parseInt(parts[0].trim());
            int w = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : h;
            if (h < 1 || w < 1) {
                throw bad(text);
            }
            return new int[] {h, w};
        } catch (NumberFormatException e) {
            throw bad(text);
        }
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("image size '" + text + "': expected S or HxW with positive S, H, W");
    }
}
