package dev.vgg4j.core.io;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/**
 * Passes through at most {@code limit} bytes and fails with {@link InputFileException} as soon as
 * the stream holds more, so a decompression bomb or a file that grows while it is read costs at
 * most {@code limit} bytes of work instead of memory or disk without end.
 */
public final class BoundedInputStream extends FilterInputStream {
    private final long limit;
    private final Supplier<String> tooLongMessage;
    private long count;

    /**
     * @param tooLongMessage the one-line message when the stream holds more than {@code limit}
     *     bytes; a supplier so it can name what is being read at that moment (an archive entry)
     */
    public BoundedInputStream(InputStream in, long limit, Supplier<String> tooLongMessage) {
        super(in);
        this.limit = limit;
        this.tooLongMessage = tooLongMessage;
    }

    @Override
    public int read() throws IOException {
        if (count == limit) {
            return failIfMore();
        }
        int b = super.read();
        if (b >= 0) {
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (count == limit) {
            return failIfMore();
        }
        int n = super.read(b, off, (int) Math.min(len, limit - count));
        if (n > 0) {
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(Math.min(n, limit - count));
        count += skipped;
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** At the limit: the end of the stream is fine, one more byte is too many. */
    private int failIfMore() throws IOException {
        if (super.read() < 0) {
            return -1;
        }
        throw new InputFileException(tooLongMessage.get());
    }
}
