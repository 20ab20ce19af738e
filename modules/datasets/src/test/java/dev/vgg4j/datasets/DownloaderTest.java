package dev.vgg4j.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The downloader against a loopback HTTP server only; never the internet. */
class DownloaderTest {
    @TempDir
    Path dir;

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private byte[] archive;

    @BeforeEach
    void serveACifarArchive() throws IOException {
        archive = Files.readAllBytes(new CifarFixture(3, 5).writeArchive(dir.resolve("served/" + Cifar10.ARCHIVE)));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/cifar.tar.gz", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, archive.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(archive);
            }
        });
        server.createContext("/interrupted.tar.gz", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, archive.length);
            OutputStream body = exchange.getResponseBody();
            body.write(archive, 0, archive.length / 2);
            body.flush();
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void downloadsVerifiesAndRenamesAndThenUsesTheCache() throws IOException {
        AtomicLong lastDone = new AtomicLong();
        AtomicLong lastTotal = new AtomicLong();
        Downloader downloader = new Downloader((done, total) -> {
            lastDone.set(done);
            lastTotal.set(total);
        });
        Path target = dir.resolve("cache/" + Cifar10.ARCHIVE);

        downloader.download(source("/cifar.tar.gz", md5(archive)), target);

        assertArrayEquals(archive, Files.readAllBytes(target));
        assertFalse(Files.exists(partOf(target)));
        assertEquals(archive.length, lastDone.get());
        assertEquals(archive.length, lastTotal.get());

        downloader.download(source("/cifar.tar.gz", md5(archive)), target);
        assertEquals(1, requests.get(), "a verified cached file is not downloaded again");
    }

    @Test
    void aWrongMd5LeavesNothingThatLooksComplete() {
        Path target = dir.resolve(Cifar10.ARCHIVE);
        String wrong = "0123456789abcdef0123456789abcdef";

        DatasetException e = assertThrows(DatasetException.class,
                () -> new Downloader(Downloader.Progress.NONE).download(source("/cifar.tar.gz", wrong), target));

        assertTrue(e.getMessage().contains("expected " + wrong), e.getMessage());
        assertTrue(e.getMessage().contains(md5(archive)), e.getMessage());
        assertFalse(Files.exists(target));
        assertFalse(Files.exists(partOf(target)));
    }

    @Test
    void anInterruptedDownloadLeavesNothingThatLooksComplete() {
        Path target = dir.resolve(Cifar10.ARCHIVE);

        DatasetException e = assertThrows(DatasetException.class, () ->
                new Downloader(Downloader.Progress.NONE).download(source("/interrupted.tar.gz", md5(archive)), target));

        assertTrue(e.getMessage().contains("/interrupted.tar.gz"), e.getMessage());
        assertFalse(Files.exists(target));
    }

    @Test
    void aMissingUrlNamesTheStatus() {
        DatasetException e = assertThrows(DatasetException.class, () -> new Downloader(Downloader.Progress.NONE)
                .download(source("/nothing-here", md5(archive)), dir.resolve("x")));

        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
    }

    @Test
    void cifarDownloadExtractsAndLoadsTheServedArchive() {
        Path cache = dir.resolve("datasets");

        TrainAndTest cifar = Cifar10.download(cache, source("/cifar.tar.gz", md5(archive)),
                new Downloader(Downloader.Progress.NONE));

        assertEquals(5 * 3, cifar.train().size());
        assertEquals(3, cifar.test().size());
        assertTrue(Files.isRegularFile(cache.resolve(Cifar10.FOLDER).resolve("test_batch.bin")));
        assertTrue(Cifar10.isPresent(cache));
    }

    @Test
    void archiveEntriesThatEscapeTheTargetAreRefused() throws IOException {
        Path evilArchive = CifarFixture.writeArchiveWithEntry(dir.resolve("evil.tar.gz"), "../escaped.txt", new byte[] {1});
        Path target = Files.createDirectories(dir.resolve("target"));

        DatasetException e = assertThrows(DatasetException.class, () -> TarGzArchive.extract(evilArchive, 1 << 20, "a test archive", target));

        assertTrue(e.getMessage().contains("'../escaped.txt' would be written outside"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("escaped.txt")));
    }

    private DownloadSource source(String path, String md5) {
        return new DownloadSource(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path), md5);
    }

    private static Path partOf(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    private static String md5(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
