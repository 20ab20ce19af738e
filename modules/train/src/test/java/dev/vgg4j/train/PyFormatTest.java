package dev.vgg4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PyFormatTest {

    @Test
    void roundsTheExactBinaryValueAsPythonDoes() {
        // 2.675 is stored as 2.67499999999999982236431605997495353221893310546875: Python prints 2.67
        assertEquals("2.67", PyFormat.fixed(2.675, 2));
        // 0.125 is exact: a true tie, Python rounds half to even
        assertEquals("0.12", PyFormat.fixed(0.125, 2));
        assertEquals("1.81580", PyFormat.fixed(1.8158, 5));
        assertEquals("25.635", PyFormat.fixed(25.6349999999, 3));
    }

    @Test
    void specialValuesAsPython() {
        assertEquals("nan", PyFormat.fixed(Double.NaN, 3));
        assertEquals("inf", PyFormat.fixed(Double.POSITIVE_INFINITY, 3));
        assertEquals("-0.500", PyFormat.fixed(-0.5, 3));
        assertEquals("-0.000", PyFormat.fixed(-0.0001, 3));
    }
}
