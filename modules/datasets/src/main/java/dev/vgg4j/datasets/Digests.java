package dev.vgg4j.datasets;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Message digests every JDK has, and their lower-case hex form (as dataset checksums are written). */
public final class Digests {
    private Digests() {}

    public static MessageDigest md5() {
        return standard("MD5");
    }

    public static MessageDigest sha256() {
        return standard("SHA-256");
    }

    /** Finishes {@code digest} and returns it as lower-case hex. */
    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest standard(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has " + algorithm, e);
        }
    }
}
