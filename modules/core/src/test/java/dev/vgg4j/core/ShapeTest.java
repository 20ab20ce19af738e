package dev.vgg4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ShapeTest {

    @Test
    void imageShapeNamesItsDimensions() {
        Shape s = Shape.nchw(2, 3, 50, 40);
        assertEquals(4, s.rank());
        assertEquals(2, s.n());
        assertEquals(3, s.c());
        assertEquals(50, s.h());
        assertEquals(40, s.w());
        assertEquals(2 * 3 * 50 * 40, s.size());
        assertEquals(3 * 50 * 40, s.sizePerItem());
    }

    @Test
    void matrixShapeNamesRowsAndColumns() {
        Shape s = Shape.matrix(7, 11);
        assertEquals(7, s.rows());
        assertEquals(11, s.cols());
        assertEquals(7, s.n());
        assertEquals(11, s.sizePerItem());
    }

    @Test
    void accessorsOfAnotherRankFail() {
        Shape matrix = Shape.matrix(2, 3);
        IllegalStateException e = assertThrows(IllegalStateException.class, matrix::c);
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> Shape.nchw(1, 2, 3, 4).rows());
        assertThrows(IllegalStateException.class, () -> Shape.of(5).cols());
    }

    @Test
    void isImmutable() {
        int[] dims = {4, 5};
        Shape s = Shape.of(dims);
        dims[0] = 99;
        s.dims()[1] = 99;
        assertEquals(Shape.matrix(4, 5), s);
    }

    @Test
    void equalityFollowsTheDimensions() {
        assertEquals(Shape.of(2, 3), Shape.matrix(2, 3));
        assertEquals(Shape.of(2, 3).hashCode(), Shape.matrix(2, 3).hashCode());
        assertNotEquals(Shape.of(2, 3), Shape.of(3, 2));
        assertNotEquals(Shape.of(6), Shape.of(6, 1));
        assertEquals("[1, 512, 1, 1]", Shape.nchw(1, 512, 1, 1).toString());
    }

    @Test
    void rejectsEmptyZeroNegativeAndHugeShapes() {
        assertThrows(IllegalArgumentException.class, Shape::of);
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> Shape.of(3, 0));
        assertTrue(zero.getMessage().contains("[3, 0]"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Shape.matrix(-1, 4));
        IllegalArgumentException huge = assertThrows(IllegalArgumentException.class,
                () -> Shape.nchw(1024, 512, 64, 64));
        assertTrue(huge.getMessage().contains("2^31"), huge.getMessage());
    }
}
