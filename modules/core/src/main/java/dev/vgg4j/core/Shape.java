package dev.vgg4j.core;

import java.util.Arrays;

/**
 * The dimensions of a dense, row-major, contiguous float32 tensor.
 *
 * <p>vgg4j uses two layouts: images as {@code [N, C, H, W]} and matrices as {@code [rows, cols]}.
 * Vectors such as biases are {@code [F]}. A shape is immutable.
 */
public final class Shape {
    private final int[] dims;
    private final long size;

    private Shape(int[] dims) {
        if (dims.length == 0) {
            throw new IllegalArgumentException("a shape needs at least one dimension");
        }
        long n = 1;
        for (int d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has a dimension <= 0");
            }
            // d <= 2^31 and n stays below 2^31 here, so the product cannot overflow a long
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                break;
            }
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has more than 2^31 elements");
        }
        this.dims = dims;
        this.size = n;
    }

    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    /** An image batch {@code [N, C, H, W]}. */
    public static Shape nchw(int n, int c, int h, int w) {
        return new Shape(new int[] {n, c, h, w});
    }

    /** A matrix {@code [rows, cols]}. */
    public static Shape matrix(int rows, int cols) {
        return new Shape(new int[] {rows, cols});
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int i) {
        return dims[i];
    }

    public int[] dims() {
        return dims.clone();
    }

    /** Number of elements. */
    public int size() {
        return (int) size;
    }

    /** {@code N} of an {@code [N, C, H, W]} shape, or rows of a matrix: always the first dimension. */
    public int n() {
        return dims[0];
    }

    public int c() {
        requireRank(4);
        return dims[1];
    }

    public int h() {
        requireRank(4);
        return dims[2];
    }

    public int w() {
        requireRank(4);
        return dims[3];
    }

    public int rows() {
        requireRank(2);
        return dims[0];
    }

    public int cols() {
        requireRank(2);
        return dims[1];
    }

    /** Elements per item of the first dimension: {@code C*H*W} for images, {@code cols} for matrices. */
    public int sizePerItem() {
        return (int) (size / dims[0]);
    }

    private void requireRank(int rank) {
        if (dims.length != rank) {
            throw new IllegalStateException("shape " + this + " is not of rank " + rank);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
