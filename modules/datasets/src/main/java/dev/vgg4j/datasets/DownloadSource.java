package dev.vgg4j.datasets;

import java.net.URI;
import java.util.Locale;

/** Where a dataset archive comes from and the MD5 (hex) it must have. */
public record DownloadSource(URI url, String md5) {
    public DownloadSource {
        md5 = md5.toLowerCase(Locale.ROOT);
        if (!md5.matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("MD5 must be 32 hex digits, got '" + md5 + "'");
        }
    }
}
