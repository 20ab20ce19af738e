package dev.vgg4j.tck;

/**
 * Convolution in float64, one output element at a time straight from the definition
 * {@code y[n,f,oh,ow] = bias[f] + sum_{c,kh,kw} w[f,c,kh,kw] * x[n,c,oh*s-p+kh, ow*s-p+kw]}, and its
 * two gradients from the same index relation. Slow and independent of every backend.
 */
public final class ConvOracle {
    private ConvOracle() {}

    /** x [N, C, H, W], w [F, C, K, K], bias [F] or null -> y [N, F, OH, OW]. */
    public static double[] forward(ConvCase cc, double[] x, double[] w, double[] bias) {
        int oh = cc.output().h();
        int ow = cc.output().w();
        double[] y = new double[cc.output().size()];
        for (int n = 0; n < cc.n(); n++) {
            for (int f = 0; f < cc.f(); f++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double s = bias == null ? 0.0 : bias[f];
                        for (int c = 0; c < cc.c(); c++) {
                            for (int kh = 0; kh < cc.k(); kh++) {
                                int ih = i * cc.stride() - cc.padding() + kh;
                                for (int kw = 0; kw < cc.k(); kw++) {
                                    int iw = j * cc.stride() - cc.padding() + kw;
                                    if (ih >= 0 && ih < cc.h() && iw >= 0 && iw < cc.w()) {
                                        s += w[((f * cc.c() + c) * cc.k() + kh) * cc.k() + kw]
                                                * x[((n * cc.c() + c) * cc.h() + ih) * cc.w() + iw];
                                    }
                                }
                            }
                        }
                        y[((n * cc.f() + f) * oh + i) * ow + j] = s;
                    }
                }
            }
        }
        return y;
    }

    /** gy [N, F, OH, OW] -> gx [N, C, H, W]: each input pixel gathers every (output, tap) pair that read it. */
    public static double[] backwardInput(ConvCase cc, double[] gy, double[] w) {
        int oh = cc.output().h();
        int ow = cc.output().w();
        double[] gx = new double[cc.input().size()];
        for (int n = 0; n < cc.n(); n++) {
            for (int c = 0; c < cc.c(); c++) {
                for (int ih = 0; ih < cc.h(); ih++) {
                    for (int iw = 0; iw < cc.w(); iw++) {
                        double s = 0.0;
                        for (int f = 0; f < cc.f(); f++) {
                            for (int kh = 0; kh < cc.k(); kh++) {
                                int ohs = ih + cc.padding() - kh;
                                if (ohs < 0 || ohs % cc.stride() != 0 || ohs / cc.stride() >= oh) {
                                    continue;
                                }
                                for (int kw = 0; kw < cc.k(); kw++) {
                                    int ows = iw + cc.padding() - kw;
                                    if (ows < 0 || ows % cc.stride() != 0 || ows / cc.stride() >= ow) {
                                        continue;
                                    }
                                    s += w[((f * cc.c() + c) * cc.k() + kh) * cc.k() + kw]
                                            * gy[((n * cc.f() + f) * oh + ohs / cc.stride()) * ow + ows / cc.stride()];
                                }
                            }
                        }
                        gx[((n * cc.c() + c) * cc.h() + ih) * cc.w() + iw] = s;
                    }
                }
            }
        }
        return gx;
    }

    /** x [N, C, H, W], gy [N, F, OH, OW] -> gw [F, C, K, K]. */
    public static double[] backwardWeight(ConvCase cc, double[] x, double[] gy) {
        int oh = cc.output().h();
        int ow = cc.output().w();
        double[] gw = new double[cc.weight().size()];
        for (int f = 0; f < cc.f(); f++) {
            for (int c = 0; c < cc.c(); c++) {
                for (int kh = 0; kh < cc.k(); kh++) {
                    for (int kw = 0; kw < cc.k(); kw++) {
                        double s = 0.0;
                        for (int n = 0; n < cc.n(); n++) {
                            for (int i = 0; i < oh; i++) {
                                int ih = i * cc.stride() - cc.padding() + kh;
                                for (int j = 0; j < ow; j++) {
                                    int iw = j * cc.stride() - cc.padding() + kw;
                                    if (ih >= 0 && ih < cc.h() && iw >= 0 && iw < cc.w()) {
                                        s += gy[((n * cc.f() + f) * oh + i) * ow + j]
                                                * x[((n * cc.c() + c) * cc.h() + ih) * cc.w() + iw];
                                    }
                                }
                            }
                        }
                        gw[((f * cc.c() + c) * cc.k() + kh) * cc.k() + kw] = s;
                    }
                }
            }
        }
        return gw;
    }

    /** gy [N, F, OH, OW] -> gradBias [F]. */
    public static double[] backwardBias(ConvCase cc, double[] gy) {
        int plane = cc.output().h() * cc.output().w();
        double[] gb = new double[cc.f()];
        for (int n = 0; n < cc.n(); n++) {
            for (int f = 0; f < cc.f(); f++) {
                for (int i = 0; i < plane; i++) {
                    gb[f] += gy[(n * cc.f() + f) * plane + i];
                }
            }
        }
        return gb;
    }
}
