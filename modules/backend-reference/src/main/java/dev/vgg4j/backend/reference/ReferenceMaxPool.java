package dev.vgg4j.backend.reference;

import dev.vgg4j.spi.HeapTensor;
import java.util.Arrays;

/** MaxPool2d with a 2x2 window and stride 2 (floor mode); argmax holds dy*2+dx of each window's winner. */
final class ReferenceMaxPool {
    private ReferenceMaxPool() {}

    /** x [N, C, H, W] -> y and argmax [N, C, H/2, W/2]; the first maximum wins ties, NaN wins over numbers. */
    static void forward(HeapTensor x, HeapTensor y, HeapTensor argmax) {
        int planes = x.shape().n() * x.shape().c();
        int h = x.shape().h();
        int w = x.shape().w();
        int oh = h / 2;
        int ow = w / 2;
        float[] xd = x.data();
        for (int p = 0; p < planes; p++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int corner = x.offset() + p * h * w + 2 * i * w + 2 * j;
                    float best = xd[corner];
                    int bestAt = 0;
                    for (int k = 1; k < 4; k++) {
                        float v = xd[corner + (k / 2) * w + (k % 2)];
                        if (v > best || (Float.isNaN(v) && !Float.isNaN(best))) {
                            best = v;
                            bestAt = k;
                        }
                    }
                    int out = p * oh * ow + i * ow + j;
                    y.data()[y.offset() + out] = best;
                    argmax.data()[argmax.offset() + out] = bestAt;
                }
            }
        }
    }

    /** gradY [N, C, H/2, W/2] routed to the argmax position of each window of gradX [N, C, H, W]; the rest is 0. */
    static void backward(HeapTensor gradY, HeapTensor argmax, HeapTensor gradX) {
        int planes = gradX.shape().n() * gradX.shape().c();
        int h = gradX.shape().h();
        int w = gradX.shape().w();
        int oh = h / 2;
        int ow = w / 2;
        float[] gx = gradX.data();
        Arrays.fill(gx, gradX.offset(), gradX.offset() + gradX.size(), 0f);
        for (int p = 0; p < planes; p++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int out = p * oh * ow + i * ow + j;
                    int k = (int) argmax.data()[argmax.offset() + out];
                    gx[gradX.offset() + p * h * w + (2 * i + k / 2) * w + 2 * j + k % 2] = gradY.data()[gradY.offset() + out];
                }
            }
        }
    }
}
