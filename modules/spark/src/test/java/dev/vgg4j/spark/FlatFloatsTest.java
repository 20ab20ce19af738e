package dev.vgg4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlatFloatsTest {
    private final FlatFloats flat = new FlatFloats(List.of(new float[3], new float[0], new float[4], new float[2]));

    /** Each run as "piece length:at+length@offset", pieces told apart by their length. */
    private List<String> runs(long from, long count) {
        List<String> runs = new ArrayList<>();
        flat.forRange(from, count, (piece, at, length, offset) -> runs.add(piece.length + ":" + at + "+" + length + "@" + offset));
        return runs;
    }

    @Test
    void aRangeIsWalkedAsRunsWithinPiecesAcrossTheirBorders() {
        assertEquals(9, flat.length());
        assertEquals(List.of("3:0+3@0", "4:0+4@3", "2:0+2@7"), runs(0, 9));
        assertEquals(List.of("3:2+1@0", "4:0+2@1"), runs(2, 3));
        assertEquals(List.of("4:1+3@0", "2:0+1@3"), runs(4, 4));
        assertEquals(List.of("2:1+1@0"), runs(8, 1));
        assertEquals(List.of(), runs(9, 0));
    }

    @Test
    void aRangeOutsideTheVectorIsRefused() {
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> runs(5, 5));
        assertEquals("range [5, 10) of a vector of 9", e.getMessage());
    }
}
