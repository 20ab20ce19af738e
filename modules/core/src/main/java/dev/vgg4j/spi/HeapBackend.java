package dev.vgg4j.spi;

import dev.vgg4j.core.Shape;
import java.util.Arrays;

/**
 * A backend whose tensors are {@link HeapTensor}s and whose ops run to completion on the calling
 * thread (plus any pool it waits for). Memory, transfers and the copy-only kernels are the same for
 * every such backend and live here; subclasses bring the arithmetic.
 */
public abstract class HeapBackend extends AbstractBackend<HeapTensor> {

    protected HeapBackend() {
        super(HeapTensor.class);
    }

    /** Every op has finished when it returns, so there is nothing to wait for. */
    @Override
    public void synchronize() {
        checkOpen();
    }

    // ---------------------------------------------------------------- memory and transfers

    @Override
    protected final HeapTensor doAllocate(Shape shape) {
        return HeapTensor.allocate(this, shape);
    }

    @Override
    protected final void doFree(HeapTensor tensor) {
        // The garbage collector reclaims the array once the handle is dropped.
    }

    @Override
    protected final void doUpload(float[] src, HeapTensor dst) {
        System.arraycopy(src, 0, dst.data(), dst.offset(), dst.size());
    }

    @Override
    protected final void doUpload(byte[] src, float scale, float offset, HeapTensor dst) {
        float[] d = dst.data();
        int base = dst.offset();
        for (int i = 0; i < dst.size(); i++) {
            d[base + i] = (src[i] & 0xFF) * scale + offset;
        }
    }

    @Override
    protected final void doDownload(HeapTensor src, float[] dst) {
        System.arraycopy(src.data(), src.offset(), dst, 0, src.size());
    }

    // ---------------------------------------------------------------- copies

    @Override
    protected final void doFill(HeapTensor t, float value) {
        Arrays.fill(t.data(), t.offset(), t.offset() + t.size(), value);
    }

    @Override
    protected final void doCopy(HeapTensor src, HeapTensor dst) {
        System.arraycopy(src.data(), src.offset(), dst.data(), dst.offset(), src.size());
    }

    /** bias {@code [F]} copied into every row of y {@code [N, F]}. */
    @Override
    protected final void doBroadcastRows(HeapTensor bias, HeapTensor y) {
        int cols = bias.size();
        for (int row = 0; row < y.shape().rows(); row++) {
            System.arraycopy(bias.data(), bias.offset(), y.data(), y.offset() + row * cols, cols);
        }
    }

    // ---------------------------------------------------------------- loss scaling

    /** The same on every host backend: one pass, the check before the scaling, as PyTorch's kernel. */
    @Override
    protected final void doUnscaleAndCheckFinite(HeapTensor grad, float invScale, HeapTensor foundInf) {
        float[] g = grad.data();
        boolean finite = true;
        for (int i = grad.offset(); i < grad.offset() + grad.size(); i++) {
            finite &= Float.isFinite(g[i]);
            g[i] *= invScale;
        }
        if (!finite) {
            foundInf.data()[foundInf.offset()] = 1f;
        }
    }
}
