package dev.vgg4j.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;

/**
 * Downloads a file into a cache folder so that nothing there ever looks complete unless it is: the
 * bytes go to {@code NAME.part}, and only when every byte announced arrived and the MD5 matches is
 * it renamed to {@code NAME}. A failed or interrupted download leaves no {@code NAME} behind.
 */
public final class Downloader {
    /** Told about progress as bytes arrive; {@code totalBytes} is -1 when the server does not say. */
    @FunctionalInterface
    public interface Progress {
        void update(long doneBytes, long totalBytes);

        Progress NONE = (done, total) -> {};
    }

    private static final int BUFFER_BYTES = 1 << 16;

    private final HttpClient client;
    private final Progress progress;

    public Downloader(Progress progress) {
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
        this.progress = progress;
    }

    /**
     * {@code target} with the content of {@code source}: kept as is when it already exists with the
     * right MD5, else downloaded and verified.
     */
    public Path download(DownloadSource source, Path target) {
        if (Files.isRegularFile(target) && source.md5().equals(md5Of(target))) {
            return target;
        }
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            String md5 = fetch(source, part);
            if (!md5.equals(source.md5())) {
                throw new DatasetException(source.url() + ": the download has MD5 " + md5 + ", expected "
                        + source.md5() + "; the file was discarded");
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new DatasetException(source.url() + ": download into " + target + " failed ("
                    + e.getMessage() + "); run again to retry", e);
        } finally {
            deleteQuietly(part);
        }
    }

    /** Streams {@code source} into {@code part} and returns the MD5 of what arrived. */
    private String fetch(DownloadSource source, Path part) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(source.url()).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new DatasetException(source.url() + ": the server answered HTTP " + response.statusCode()
                        + ", expected 200");
            }
            long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            MessageDigest md5 = Digests.md5();
            long done = 0;
            try (DigestInputStream in = new DigestInputStream(body, md5);
                 OutputStream out = Files.newOutputStream(part)) {
                byte[] buffer = new byte[BUFFER_BYTES];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    out.write(buffer, 0, n);
                    done += n;
                    progress.update(done, total);
                }
            }
            if (total >= 0 && done != total) {
                throw new IOException("connection closed after " + done + " of " + total + " bytes");
            }
            return Digests.hex(md5);
        }
    }

    static String md5Of(Path file) {
        MessageDigest md5 = Digests.md5();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md5)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        return Digests.hex(md5);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // The .part name already says the file is incomplete; leaving it behind is harmless.
        }
    }
}
