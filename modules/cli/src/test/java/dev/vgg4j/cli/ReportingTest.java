package dev.vgg4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** run.json as the run folder writes it and evaluate/predict read it back. */
class ReportingTest {
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
        RunInfo info = RunInfo.parse(json, "run.json");

        assertEquals("folder:/data/my \"pets\"", info.dataset());
        assertEquals(null, info.dataDir());
        assertEquals(List.of("T-shirt/top", "back\\slash"), info.classNames());
        assertTrue(json.contains("\"loss\": \"NaN\""), json);
        config.put("data_dir", "/d");
        assertEquals(Path.of("/d"), RunInfo.parse(JsonWriter.write(run), "run.json").dataDir());
    }

    @Test
    void aMalformedRunJsonIsAnErrorNamingTheFileNotIgnored() {
        for (String json : new String[] {"{\"config\": {\"dataset\": \"cifar10\"", "[1, 2]",
                "{\"config\": {\"dataset\": \"cifar10\"}, \"dataset\": {\"class_names\": 7}}",
                "{\"config\": {}, \"dataset\": {\"class_names\": []}}"}) {
            BadInputException e = assertThrows(BadInputException.class, () -> RunInfo.parse(json, "/r/run.json"));
            assertTrue(e.getMessage().startsWith("/r/run.json: not a vgg4j run.json ("), e.getMessage());
        }
    }
}
