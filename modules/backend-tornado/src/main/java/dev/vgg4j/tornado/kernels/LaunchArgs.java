package dev.vgg4j.tornado.kernels;

/**
 * A kernel's launch parameters by name. Every kernel receives two small arrays next to the device
 * heap, {@code ip} (offsets into the heap, sizes, flags) and {@code fp} (scalars); each kernel has a
 * record implementing this interface whose {@code static final int} constants name the slots the
 * kernel reads ({@code ip.get(CopyArgs.SRC)}) and whose {@link #ints()} and {@link #floats()} the
 * host fills by the same constants, so neither side counts positions.
 */
public interface LaunchArgs {
    float[] NO_FLOATS = {};

    /** The integer parameters, at most {@link Params#INTS}. */
    int[] ints();

    /** The float parameters, at most {@link Params#FLOATS}. */
    default float[] floats() {
        return NO_FLOATS;
    }

    /** Parameters of a kernel with one work-item per element: {@code ip[COUNT]} elements. */
    interface Elementwise extends LaunchArgs {
        /** The element count's slot, the same in every elementwise kernel. */
        int COUNT = 0;

        /** Elements, one work-item each. */
        int count();
    }
}
