package dev.vgg4j.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** F16, BF16 and F64 tensors convert to float32 as PyTorch's {@code .float()} does. */
class FloatDTypeTest {

    private static short firstShort(TensorEntry e) {
        return ByteBuffer.wrap(e.bytes()).order(ByteOrder.LITTLE_ENDIAN).getShort(0);
    }

    @Test
    void bfloat16RoundsToNearestEvenAndKeepsNaN() {
        float[] v = {1f, Float.intBitsToFloat(0x3F808000), Float.intBitsToFloat(0x3F818000),
            Float.intBitsToFloat(0x3F808001), -2.5f, Float.NaN};
        TensorEntry e = TensorEntry.floats("b", DType.BF16, new int[] {v.length}, v);
        assertEquals((short) 0x3F80, firstShort(e));
        float[] back = e.floats();
        assertEquals(1f, back[0]);
        assertEquals(Float.intBitsToFloat(0x3F800000), back[1], "a tie goes to the even mantissa");
        assertEquals(Float.intBitsToFloat(0x3F820000), back[2], "a tie goes to the even mantissa");
        assertEquals(Float.intBitsToFloat(0x3F810000), back[3], "above the tie rounds up");
        assertEquals(-2.5f, back[4]);
        assertTrue(Float.isNaN(back[5]));
    }

    @Test
    void float16AndFloat64() {
        float[] v = {1f / 3, 65504f, -0.0f, 1e-8f};
        float[] half = TensorEntry.floats("h", DType.F16, new int[] {4}, v).floats();
        assertArrayEquals(new float[] {0.33325195f, 65504f, -0.0f, 0f}, half);
        assertArrayEquals(v, TensorEntry.floats("d", DType.F64, new int[] {2, 2}, v).floats());
        assertEquals(8 * 4, TensorEntry.floats("d", DType.F64, new int[] {4}, v).bytes().length);
    }

    @Test
    void int64IsNotAFloatType() {
        TensorEntry counter = TensorEntry.i64("n", new int[0], new long[] {3});
        assertThrows(IllegalStateException.class, counter::floats);
        assertThrows(IllegalArgumentException.class, () -> TensorEntry.floats("n", DType.I64, new int[] {1}, new float[1]));
    }
}
