package dev.vgg4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pieces that format what a run reports: plain progress lines, metrics rows, run.json. */
class ReportingTest {
    @Test
    void plainProgressPrintsOneLinePerTenthOfAnEpoch() {
        StringWriter text = new StringWriter();
        PlainProgress progress = new PlainProgress(new PrintWriter(text, true));

        progress.start(3, 30, 1000);
        for (int i = 0; i < 100; i++) {
            progress.advance(10);
        }
        progress.finish();

        List<String> lines = text.toString().lines().toList();
        assertEquals(9, lines.size(), text.toString());
        assertTrue(lines.getFirst().startsWith("  epoch 3/30: 100/1000 images (10%), "), lines.getFirst());
        assertTrue(lines.getLast().matches("  epoch 3/30: 900/1000 images \\(90%\\), [\\d.]+ images/s, ETA \\d+:\\d\\d:\\d\\d"),
                lines.getLast());
    }

    @Test
    void metricsRowsSurviveTheCsvRoundTrip() {
        EpochRow row = new EpochRow(7, 0.5, 0.8, 0.6, 0.75, 1e-4, 25.635, 1800.5);

        assertEquals(row, EpochRow.parse(row.toCsv(), "metrics.csv"));
    }

    @Test
    void runJsonIsReadBackWithEscapes() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("dataset", "folder:/data/my \"pets\"");
        config.put("data_dir", null);
        config.put("epochs", 3);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("config", config);
        run.put("dataset", Map.of("class_names", List.of("T-shirt/top", "back\\slash")));
        run.put("loss", Double.NaN);

        String json = JsonWriter.write(run);
        RunInfo info = RunInfo.parse(json);

        assertEquals("folder:/data/my \"pets\"", info.dataset());
        assertEquals(null, info.dataDir());
        assertEquals(List.of("T-shirt/top", "back\\slash"), info.classNames());
        assertTrue(json.contains("\"loss\": \"NaN\""), json);
        assertEquals(Path.of("/d"), RunInfo.parse("{\"data_dir\": \"/d\"}").dataDir());
    }
}
