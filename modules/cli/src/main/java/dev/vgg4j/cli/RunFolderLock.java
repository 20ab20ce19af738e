package dev.vgg4j.cli;

import dev.vgg4j.train.RunOutputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;

/**
 * A run folder held by one run. It must be new or empty, or be the folder of the checkpoint being
 * resumed, or be replaced on request ({@code --overwrite}); otherwise an earlier run's files would be
 * overwritten. While a run holds it, {@value #LOCK_FILE} carries an OS file lock and names the holder
 * (pid, host, start time), so a second run into the same folder fails at once with that name. The
 * lock file stays in a folder that holds a run (deleting it while another run waits to open it would
 * let two runs lock two different files of one name).
 * Default folders are {@code runs/<timestamp>}, with {@code -2}, {@code -3}, ... appended when that
 * name is taken: each is made with {@link Files#createDirectory}, which fails rather than share a folder.
 */
final class RunFolderLock implements AutoCloseable {
    static final String LOCK_FILE = "run.lock";
    static final Path DEFAULT_PARENT = Path.of("runs");
    /** What a run writes into its folder; {@code --overwrite} deletes these, and their temporary files, first. */
    static final List<String> RUN_FILES = List.of(RunFolder.METRICS, RunFolder.CURVES, RunFolder.LAST, RunFolder.BEST,
            RunFolder.RUN_JSON, InterruptCheckpoint.FILE);
    /** strerror texts of failures that are the machine's, not the path's. */
    private static final List<String> ENVIRONMENT_REASONS = List.of("No space left", "quota", "Input/output error");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path dir;
    private final boolean created;
    private final FileChannel channel;

    private RunFolderLock(Path dir, boolean created, FileChannel channel) {
        this.dir = dir;
        this.created = created;
        this.channel = channel;
    }

    /**
     * The run folder of {@code --out} (null: the resumed checkpoint's folder, else a new default one),
     * locked for this run; any failure is a {@link BadInputException} naming {@code --out} and saying why.
     *
     * @param resume    the checkpoint being resumed, or null; its own folder may hold its run's files
     * @param overwrite {@code --overwrite}: delete an earlier run's files in the folder instead of refusing
     */
    static RunFolderLock claim(Path out, Path resume, boolean overwrite) {
        if (out == null && resume == null) {
            return claimNew(DEFAULT_PARENT);
        }
        if (out != null && out.toString().isBlank()) {
            throw new BadInputException("--out: expected a folder, got an empty name");
        }
        Path dir = out != null ? out : resume.toAbsolutePath().getParent();
        boolean created = !Files.exists(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw failure("cannot create the run folder " + dir, e);
        }
        if (!Files.isDirectory(dir)) {
            throw new BadInputException("--out: " + dir + " is a file, not a folder");
        }
        RunFolderLock held = lock(dir, created);
        try {
            boolean continuing = resume != null && isSameFolder(dir, resume.toAbsolutePath().getParent());
            held.prepare(continuing, overwrite);
            return held;
        } catch (RuntimeException e) {
            held.close();
            throw e;
        }
    }

    /** A fresh {@code parent/<timestamp>[-k]} folder, locked; never one another run made in the same second. */
    static RunFolderLock claimNew(Path parent) {
        String stamp = LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS).format(STAMP);
        try {
            Files.createDirectories(parent);
            for (int k = 1; ; k++) {
                Path dir = parent.resolve(k == 1 ? stamp : stamp + "-" + k);
                try {
                    Files.createDirectory(dir);
                    return lock(dir, true);
                } catch (FileAlreadyExistsException taken) {
                    // another run made this name first: try the next suffix
                }
            }
        } catch (IOException e) {
            throw failure("cannot create a run folder in " + parent.toAbsolutePath(), e);
        }
    }

    Path dir() {
        return dir;
    }

    private static RunFolderLock lock(Path dir, boolean created) {
        Path file = dir.resolve(LOCK_FILE);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw failure("cannot lock the run folder " + dir, e);
        }
        try {
            FileLock lock = tryLock(channel);
            if (lock == null) {
                throw new BadInputException("--out: the run folder " + dir + " is in use by another run ("
                        + holder(channel) + "); wait for it to end or choose another folder");
            }
            if (!Files.exists(file)) {
                // The run that held it removed its empty folder while this run opened the old file.
                throw new BadInputException("--out: the run folder " + dir + " was removed while this run locked it; "
                        + "start again");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(describeThisProcess().getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new RunFolderLock(dir, created, channel);
        } catch (IOException e) {
            closeQuietly(channel);
            throw failure("cannot lock the run folder " + dir, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** The lock, or null when another process (or another run in this JVM) holds it. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldInThisProcess) {
            return null;
        }
    }

    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(512);
        channel.read(bytes, 0);
        String text = new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? "holder unknown" : text;
    }

    private static String describeThisProcess() {
        String host = System.getenv().getOrDefault("HOSTNAME", "");
        if (host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "unknown host";
            }
        }
        return "pid " + ProcessHandle.current().pid() + " on " + host + ", started "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n";
    }

    /**
     * Checks that the folder may take this run and clears what it must not keep: temporary files of an
     * interrupted write (this lock proves no run is writing them), and with {@code overwrite} the
     * earlier run's files.
     */
    private void prepare(boolean continuing, boolean overwrite) {
        try {
            List<String> others = entriesOtherThanTheLock();
            if (!others.isEmpty() && !continuing) {
                if (!overwrite) {
                    throw new BadInputException("--out: the run folder " + dir + " is not empty (it holds "
                            + String.join(", ", others.subList(0, Math.min(4, others.size())))
                            + (others.size() > 4 ? ", ..." : "") + "); continue its run with --resume "
                            + dir.resolve(RunFolder.LAST) + ", replace it with --overwrite, or choose another folder");
                }
                for (String name : RUN_FILES) {
                    Files.deleteIfExists(dir.resolve(name));
                }
            }
            for (String name : RUN_FILES) {
                Files.deleteIfExists(dir.resolve(name + ".tmp"));
            }
        } catch (IOException e) {
            throw failure("cannot prepare the run folder " + dir, e);
        }
    }

    private List<String> entriesOtherThanTheLock() throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).filter(name -> !name.equals(LOCK_FILE)).sorted().toList();
        }
    }

    private static boolean isSameFolder(Path a, Path b) {
        try {
            return b != null && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A path the file system refuses (a file in the way, no permission, read-only) is bad input
     * ({@code --out}); a full disk or an I/O error is the environment failing.
     */
    private static RuntimeException failure(String what, IOException e) {
        boolean pathProblem = e instanceof FileSystemException fs
                && (fs.getReason() == null || ENVIRONMENT_REASONS.stream().noneMatch(fs.getReason()::contains));
        return pathProblem ? new BadInputException("--out: " + what + ": " + RunOutputException.reason(e))
                : new RunOutputException(what + ": " + RunOutputException.reason(e), e);
    }

    /**
     * Releases the lock; a folder this run created and left empty (bad input, say) is removed again,
     * while still locked. The removal is a courtesy: when it fails the folder stays, empty, and the
     * run's own outcome is what gets reported.
     */
    @Override
    public void close() {
        try {
            if (created && entriesOtherThanTheLock().isEmpty()) {
                Files.deleteIfExists(dir.resolve(LOCK_FILE));
                Files.deleteIfExists(dir);
            }
        } catch (IOException leftInPlace) {
            // see above
        } finally {
            closeQuietly(channel);
        }
    }

    /** Closing the channel releases its lock. */
    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was written through it that could be lost
        }
    }
}
