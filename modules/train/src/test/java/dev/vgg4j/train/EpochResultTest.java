package dev.vgg4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class EpochResultTest {

    private static EpochResult epoch(int n, double seconds, double valLoss, long valCorrect) {
        return new EpochResult(n, 30, seconds, Evaluation.of(valLoss * 5000, valCorrect, 5000),
                Evaluation.of(2.0 * 44_928, 22_464, 44_928), 20.0, 0.1, 1e-3, Optional.empty());
    }

    @Test
    void recipeLineIsCharacterForCharacterTheRecipes() {
        assertEquals("Epoch:  1/30 | Epoch Duration: 25.635 sec | Val Loss: 1.81580 | Val Acc: 0.296 |",
                epoch(1, 25.635, 1.81580, 1480).recipeLine());
        assertEquals("Epoch: 19/30 | Epoch Duration: 25.067 sec | Val Loss: 0.55200 | Val Acc: 0.852 |",
                epoch(19, 25.067, 0.55200, 4260).recipeLine());
    }

    @Test
    void extendedLineAppendsTrainingLossAccuracyAndThroughput() {
        assertEquals("Epoch:  1/30 | Epoch Duration: 25.635 sec | Val Loss: 1.81580 | Val Acc: 0.296 |"
                        + " Train Loss: 2.00000 | Train Acc: 0.500 | Images/s: 2246.4 |",
                epoch(1, 25.635, 1.81580, 1480).line());
    }
}
