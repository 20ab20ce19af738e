package dev.vgg4j.tck;

/** {@code y = x W^T + b} and its gradients in float64: x [N, in], W [out, in], b [out], y [N, out]. */
public final class LinearOracle {
    private LinearOracle() {}

    public static double[] forward(int n, int in, int out, double[] x, double[] w, double[] b) {
        double[] y = new double[n * out];
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < out; o++) {
                double s = b == null ? 0.0 : b[o];
                for (int i = 0; i < in; i++) {
                    s += x[r * in + i] * w[o * in + i];
                }
                y[r * out + o] = s;
            }
        }
        return y;
    }

    /** gradX [N, in] = gradY [N, out] * W [out, in]. */
    public static double[] gradInput(int n, int in, int out, double[] gy, double[] w) {
        double[] gx = new double[n * in];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < in; i++) {
                double s = 0.0;
                for (int o = 0; o < out; o++) {
                    s += gy[r * out + o] * w[o * in + i];
                }
                gx[r * in + i] = s;
            }
        }
        return gx;
    }

    /** gradW [out, in] = gradY^T [out, N] * x [N, in]. */
    public static double[] gradWeight(int n, int in, int out, double[] gy, double[] x) {
        double[] gw = new double[out * in];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                double s = 0.0;
                for (int r = 0; r < n; r++) {
                    s += gy[r * out + o] * x[r * in + i];
                }
                gw[o * in + i] = s;
            }
        }
        return gw;
    }

    /** gradB [out] = column sums of gradY [N, out]. */
    public static double[] gradBias(int n, int out, double[] gy) {
        double[] gb = new double[out];
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < out; o++) {
                gb[o] += gy[r * out + o];
            }
        }
        return gb;
    }
}
