package dev.vgg4j.tornado.kernels;

/**
 * Sizes of the two small parameter arrays every kernel receives next to the device heap: integer
 * parameters (offsets into the heap, sizes, flags) and float parameters (scalars such as alpha or
 * the learning rate). They are the only per-launch host-to-device traffic besides staged tensors.
 */
public final class Params {
    private Params() {}

    /** Integers per launch: enough for the strided batched GEMM and for Adam over 12 tensors at once. */
    public static final int INTS = 64;

    /** Floats per launch: enough for the Adam step. */
    public static final int FLOATS = 8;

    /** Work-items per work-group of every 1-D kernel, and the width of the local-memory reductions. */
    public static final int GROUP = 256;

    /** The GEMM work-group's x side (along N) and the K depth of a staged tile. */
    public static final int TILE = 16;

    /** The GEMM work-group's y side (along M): TILE x GEMM_GROUP_Y = 128 work-items. */
    public static final int GEMM_GROUP_Y = 8;

    /** Rows of the block of C one GEMM work-group computes: 8 per work-item. */
    public static final int GEMM_ROWS = 8 * GEMM_GROUP_Y;

    /** Columns of the block of C one GEMM work-group computes: 8 per work-item. */
    public static final int GEMM_COLS = 8 * TILE;
}
