package dev.vgg4j.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** Where a run's files go when {@code --out} is not given. */
final class RunFolders {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private RunFolders() {}

    /** {@code --out}, else the folder of the checkpoint being resumed, else {@code runs/<timestamp>}. */
    static Path choose(Path out, Path resume) {
        if (out != null) {
            return out;
        }
        if (resume != null && resume.toAbsolutePath().getParent() != null) {
            return resume.toAbsolutePath().getParent();
        }
        return Path.of("runs", LocalDateTime.now().format(STAMP));
    }
}
