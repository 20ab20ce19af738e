package dev.vgg4j.tornado.kernels;

/**
 * One strided GEMM operand: element (row, col) of batch z is at {@code offset + z * batchStride +
 * row * rowStride + (col / perImage) * imageStride + (col % perImage) * colStride}. A transpose is a
 * swap of strides; image columns ({@code perImage} columns per image, images {@code imageStride}
 * apart) let a GEMM read or write a convolution's [N, F, P] tensor as the matrix [F, N*P] (for A,
 * its columns are along K). Without image columns {@code perImage} is {@link #NO_IMAGES}.
 *
 * <p>In {@link GemmArgs#ints()} an operand takes {@link #WIDTH} consecutive slots, named below
 * relative to the operand's first slot ({@link GemmArgs#A}, {@link GemmArgs#B}, {@link GemmArgs#C}).
 */
public record Operand(int offset, int rowStride, int colStride, int batchStride, int perImage, int imageStride) {
    public static final int OFFSET = 0;
    public static final int ROW_STRIDE = 1;
    public static final int COL_STRIDE = 2;
    public static final int BATCH_STRIDE = 3;
    public static final int PER_IMAGE = 4;
    public static final int IMAGE_STRIDE = 5;
    public static final int WIDTH = 6;

    /** {@code perImage} of an operand without image columns: column / perImage is always 0. */
    public static final int NO_IMAGES = Integer.MAX_VALUE;

    /** A plain strided matrix, one batch entry. */
    public static Operand of(int offset, int rowStride, int colStride) {
        return new Operand(offset, rowStride, colStride, 0, NO_IMAGES, 0);
    }

    public Operand batched(int stride) {
        return new Operand(offset, rowStride, colStride, stride, perImage, imageStride);
    }

    /** Columns are (image, position) pairs of {@code positions} per image, images {@code stride} apart. */
    public Operand imageColumns(int positions, int stride) {
        return new Operand(offset, rowStride, colStride, batchStride, positions, stride);
    }

    public boolean hasImageColumns() {
        return perImage != NO_IMAGES;
    }

    void writeTo(int[] ints, int first) {
        ints[first + OFFSET] = offset;
        ints[first + ROW_STRIDE] = rowStride;
        ints[first + COL_STRIDE] = colStride;
        ints[first + BATCH_STRIDE] = batchStride;
        ints[first + PER_IMAGE] = perImage;
        ints[first + IMAGE_STRIDE] = imageStride;
    }
}
