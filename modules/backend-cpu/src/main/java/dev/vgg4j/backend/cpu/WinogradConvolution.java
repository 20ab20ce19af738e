package dev.vgg4j.backend.cpu;

import dev.vgg4j.backend.cpu.Workspace.Slot;
import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Conv2dSpec;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * 3x3, stride 1, padding 1 convolution by Winograd's minimal filtering F(2x2, 3x3) (Lavin and Gray,
 * "Fast Algorithms for Convolutional Neural Networks", 2016): each 2x2 output tile is
 * {@code A^T [(G g G^T) . (B^T d B)] A} for its 4x4 input patch d, so a tile costs 16 multiplies per
 * (filter, channel) instead of 36. With the 16 transformed positions {@code xi} as a batch, the
 * element-wise products summed over channels are 16 independent GEMMs done by {@link PackedGemm}:
 * <pre>
 * forward:         M[xi] [F, T] = U[xi] [F, C] * V[xi] [C, T]         U = G w G^T,  V = B^T x B
 * backward-data:   the forward on gy with the filters turned 180 degrees and transposed ([C, F])
 * backward-weight: W[xi] [F, C] = Z[xi] [F, T] * V[xi]^T [T, C]       Z = A gy A^T, gw = G^T W G
 * </pre>
 * T is the tiles of a chunk of images ({@code ceil(H/2) * ceil(W/2)} per image). The 16 GEMMs of a
 * chunk are spread over the threads, each GEMM on one thread: no operand is packed twice (U is
 * packed once per op, as the filter transform writes it), and the result does not depend on the
 * thread count. Transforms split over channels. F(2x2, 3x3)'s
 * transforms only add, subtract and halve, so its rounding is that of a sum of a few more terms.
 * All three passes go to {@link Winograd4x4} (F(4x4, 3x3), 36 multiplies per 16 outputs
 * against F(2x2)'s 64) wherever its cut edge tiles still leave it at most 3/4 of F(2x2)'s
 * multiplies: every VGG map but 2x2 and 6x6.
 */
final class WinogradConvolution implements ConvolutionAlgorithm {
    private static final VectorSpecies<Float> SPECIES = MicroKernel.SPECIES;
    private static final int VL = MicroKernel.VL;
    /** Transformed positions of a 4x4 tile. */
    private static final int XI = 16;
    /**
     * Floats between the starts of two of the 16 planes, past their size: the transforms read or write
     * all 16 planes at once, and planes a multiple of 4 KiB apart would fall into the same L1 sets.
     */
    private static final int PLANE_PAD = 16;
    /** Tiles per chunk to aim for: GEMMs wide enough for full panels, transformed tiles within L3. */
    private static final int TARGET_TILES = 256;

    private final PackedGemm gemm;
    private final WorkerPool pool;
    private final Workspace workspace;
    /** All three passes where F(4x4) saves multiplies ({@link Winograd4x4#supports}). */
    private final Winograd4x4 fourByFour;
    /** Per-thread rows for the transforms (de-interleaved planes and partial sums), grown on first use. */
    private final ThreadLocal<float[]> scratch = ThreadLocal.withInitial(() -> new float[0]);
    /**
     * The op in progress, read by the tasks below: set before each fan-out rather than captured by new
     * lambdas, so that the fan-outs of every chunk of images allocate nothing. Ops run one at a time.
     */
    private final Pass pass = new Pass();
    // The pool's tasks, made once; each reads its arguments from the pass.
    private final IntConsumer filterTransform = this::transformFilters;
    private final IntConsumer inputTransform = c -> {
        if (pass.acrossImages) {
            transformInputAcrossImages(c);
        } else {
            transformInput(c);
        }
    };
    private final IntConsumer products = this::multiplyTiles;
    private final IntConsumer outputTransform = f -> {
        if (pass.acrossImages) {
            transformOutputAcrossImages(f);
        } else {
            transformOutput(f);
        }
    };
    private final IntConsumer gradientTransform = f -> {
        if (pass.acrossImages) {
            transformGradientAcrossImages(f);
        } else {
            transformGradient(f);
        }
    };
    private final IntConsumer weightProducts = this::multiplyGradientTiles;
    private final IntConsumer weightTransform = this::weightGradient;
    private final Consumer<float[]> filterTransformInto = this::transformFiltersInto;
    /** The inference forward's F(2x2) filter transforms, per weight array. */
    private final KeptFilterTransforms kept = new KeptFilterTransforms();

    WinogradConvolution(PackedGemm gemm, WorkerPool pool, Workspace workspace, Winograd4x4 fourByFour) {
        this.gemm = gemm;
        this.pool = pool;
        this.workspace = workspace;
        this.fourByFour = fourByFour;
    }

    @Override
    public boolean supports(Shape input, Shape weight, Conv2dSpec spec) {
        return weight.dim(2) == 3 && weight.dim(3) == 3 && spec.stride() == 1 && spec.padding() == 1;
    }

    /** The distance between two of the 16 planes of {@code size} floats. */
    private static int plane(int size) {
        return size + PLANE_PAD;
    }

    /**
     * One op's arguments and how it walks its images. The source {@code [N, inCh, H, W]} is tiled
     * into {@code v [16][inCh][tiles]}; the transformed filters {@code U[xi] [outCh, inCh]} (forward and
     * backward-data) live in u, each plane packed for the GEMM once per op ({@link PackedGemm#packedIndex}),
     * or the weight gradient's sums {@code [16][outCh][inCh]}, row-major; {@code m [16][outCh][tiles]}
     * holds the products, or (backward-weight) the transformed output gradient.
     */
    private static final class Pass {
        int height;
        int width;
        int tilesH;
        int tilesW;
        /** Images per chunk. */
        int chunk;
        int inCh;
        int outCh;
        float[] source;
        /** The weights {@code [F, C, 3, 3]}: read (forward, backward-data) or the gradient written (backward-weight). */
        float[] weights;
        /** Backward-data: the filters turned 180 degrees, and U used transposed ({@code [16][inCh][outCh]}). */
        boolean flipped;
        float[] u;
        float[] v;
        float[] m;
        /** Forward: y; backward-data: gx. */
        float[] target;
        /** Forward: the bias or null. */
        float[] bias;
        /** Backward-weight: gy {@code [N, outCh, H, W]}. */
        float[] gradient;
        /**
         * Maps narrower than a vector of tiles ({@code tilesW < VL}, VGG's 8x8 and smaller) order a
         * chunk's tiles {@code [ty][tx][image]} and vectorise across images; wider ones order them
         * {@code [image][ty][tx]} and vectorise along the tile rows.
         */
        boolean acrossImages;
        /** The chunk in progress: its first image, image count, tiles, and (backward-weight) beta. */
        int first;
        int count;
        int tiles;
        float beta;

        void tile(Shape input, int inChannels, int outChannels) {
            height = input.h();
            width = input.w();
            tilesH = (height + 1) / 2;
            tilesW = (width + 1) / 2;
            acrossImages = tilesW < VL;
            int perTarget = TARGET_TILES / (tilesH * tilesW);
            // Across images, whole vectors of images: at least one, a multiple of VL.
            chunk = Math.min(input.n(), acrossImages ? Math.max(VL, perTarget / VL * VL) : Math.max(1, perTarget));
            inCh = inChannels;
            outCh = outChannels;
        }

        int tilesPerImage() {
            return tilesH * tilesW;
        }

        void chunk(int n0, int images) {
            first = n0;
            count = Math.min(chunk, images - n0);
            tiles = lanes(count) * tilesPerImage();
        }

        /**
         * The tile columns given to {@code count} images: across images, whole vectors of them (the
         * lanes past the images hold transforms of zeros, so they add nothing to the weight gradient).
         */
        int lanes(int count) {
            return acrossImages ? (count + VL - 1) / VL * VL : count;
        }

        /** Tile columns of a full chunk, for the workspace. */
        int chunkColumns() {
            return lanes(chunk) * tilesPerImage();
        }
    }

    /** By F(4x4) where it saves multiplies ({@link Winograd4x4#supports}), else by F(2x2). */
    @Override
    public void forward(float[] x, Shape input, float[] w, Shape weight, float[] bias, Conv2dSpec spec, float[] y) {
        if (Winograd4x4.supports(input, weight, spec)) {
            fourByFour.forward(x, input, w, weight, bias, y);
            return;
        }
        beginForward(x, input, w, weight, bias, y);
        convolve(input.n());
    }

    /** The pass of a forward by F(2x2): x {@code [N, C, H, W]}, w {@code [F, C, 3, 3]} -> y {@code [N, F, H, W]}. */
    private void beginForward(float[] x, Shape input, float[] w, Shape weight, float[] bias, float[] y) {
        Pass p = pass;
        p.tile(input, weight.dim(1), weight.dim(0));
        p.source = x;
        p.weights = w;
        p.flipped = false;
        p.bias = bias;
        p.target = y;
    }

    /**
     * The inference forward by F(2x2), {@link #forward}'s without the F(4x4) choice, with the
     * filters' transform kept per weight array ({@link KeptFilterTransforms}): the caller picks F(4x4)
     * first where it applies ({@link Winograd4x4#inferenceForward}).
     */
    void inferenceForwardTwoByTwo(float[] x, Shape input, float[] w, Shape weight, float[] bias, float[] y) {
        beginForward(x, input, w, weight, bias, y);
        Pass p = pass;
        p.u = kept.of(w, XI * filterPlane(p), filterTransformInto);
        convolveChunks(input.n());
    }

    /** As {@link #forward}: F(4x4) where it saves multiplies, else F(2x2). */
    @Override
    public void backwardInput(float[] gy, float[] w, Shape weight, Conv2dSpec spec, float[] gx, Shape input) {
        if (Winograd4x4.supports(input, weight, spec)) {
            fourByFour.backwardInput(gy, w, weight, gx, input);
            return;
        }
        // U'[xi] [C, F] of the filters turned 180 degrees.
        Pass p = pass;
        p.tile(input, weight.dim(0), weight.dim(1));
        p.source = gy;
        p.weights = w;
        p.flipped = true;
        p.bias = null;
        p.target = gx;
        convolve(input.n());
    }

    /**
     * {@code target [N, outCh, H, W] = conv(source [N, inCh, H, W])} (+ bias): the filters
     * transformed once into {@code u}, then per chunk of images the input transform, 16 GEMMs and the
     * output transform.
     */
    private void convolve(int images) {
        Pass p = pass;
        p.u = workspace.get(Slot.WINOGRAD_FILTERS, XI * filterPlane(p));
        pool.parallelFor(p.flipped ? p.inCh : p.outCh, filterTransform);
        convolveChunks(images);
    }

    /** The filters' transform into {@code target}, as the pool's tasks read {@code pass.u}. */
    private void transformFiltersInto(float[] target) {
        Pass p = pass;
        p.u = target;
        pool.parallelFor(p.flipped ? p.inCh : p.outCh, filterTransform);
    }

    /** Per chunk of images the input transform, 16 GEMMs and the output transform, with U in {@code pass.u}. */
    private void convolveChunks(int images) {
        Pass p = pass;
        int tileCols = p.chunkColumns();
        p.v = workspace.get(Slot.WINOGRAD_TILES, XI * plane(p.inCh * tileCols));
        p.m = workspace.get(Slot.WINOGRAD_PRODUCTS, XI * plane(p.outCh * tileCols));
        for (int n0 = 0; n0 < images; n0 += p.chunk) {
            p.chunk(n0, images);
            pool.parallelFor(p.inCh, inputTransform);
            pool.parallelFor(XI, products);
            pool.parallelFor(p.outCh, outputTransform);
        }
    }

    /** {@code M[xi] [outCh, tiles] = U[xi] [outCh, inCh] * V[xi] [inCh, tiles]}. */
    private void multiplyTiles(int xi) {
        Pass p = pass;
        gemm.multiplyPackedA(p.outCh, p.tiles, p.inCh, 1f, p.u, xi * filterPlane(p), false,
                p.v, xi * plane(p.inCh * p.tiles), 0f, p.m, xi * plane(p.outCh * p.tiles));
    }

    /** The distance between two of the 16 planes of U {@code [outCh, inCh]}, packed for the GEMM. */
    private static int filterPlane(Pass p) {
        return plane(PackedGemm.packedSize(p.outCh, p.inCh));
    }

    /** As {@link #forward}: F(4x4) where it saves multiplies, else F(2x2); the bias gradient summed directly. */
    @Override
    public void backwardWeight(float[] x, Shape input, float[] gy, Conv2dSpec spec, float[] gw, Shape weight,
                               float[] gb) {
        if (Winograd4x4.supports(input, weight, spec)) {
            fourByFour.backwardWeight(x, input, gy, gw, weight);
        } else {
            twoByTwoWeightGradient(x, input, gy, gw, weight);
        }
        if (gb != null) {
            ConvolutionAlgorithm.biasGradient(gy, input.n(), weight.dim(0), input.h() * input.w(), gb);
        }
    }

    /** gw {@code [F, C, 3, 3]} by F(2x2): the sums over chunks of images, then {@code G^T W G}. */
    private void twoByTwoWeightGradient(float[] x, Shape input, float[] gy, float[] gw, Shape weight) {
        Pass p = pass;
        int filters = weight.dim(0);
        int channels = weight.dim(1);
        p.tile(input, channels, filters);
        p.source = x;
        p.gradient = gy;
        p.weights = gw;
        int images = input.n();
        int tileCols = p.chunkColumns();
        p.v = workspace.get(Slot.WINOGRAD_TILES, XI * plane(channels * tileCols));
        p.m = workspace.get(Slot.WINOGRAD_PRODUCTS, XI * plane(filters * tileCols));
        p.u = workspace.get(Slot.WINOGRAD_FILTERS, XI * plane(filters * channels));
        for (int n0 = 0; n0 < images; n0 += p.chunk) {
            p.chunk(n0, images);
            p.beta = n0 == 0 ? 0f : 1f;
            pool.parallelFor(channels, inputTransform);
            pool.parallelFor(filters, gradientTransform);
            pool.parallelFor(XI, weightProducts);
        }
        pool.parallelFor(filters, weightTransform);
    }

    /** {@code W[xi] [F, C] (+)= Z[xi] [F, tiles] * V[xi]^T [tiles, C]}, summed into u over the chunks. */
    private void multiplyGradientTiles(int xi) {
        Pass p = pass;
        gemm.multiply(false, true, p.outCh, p.inCh, p.tiles, 1f, p.m, xi * plane(p.outCh * p.tiles),
                p.v, xi * plane(p.inCh * p.tiles), p.beta, p.u, xi * plane(p.outCh * p.inCh));
    }

    // ------------------------------------------------------------------ transforms of one filter

    /** U of filter f of the weights {@code [F, C, 3, 3]} (turned 180 degrees when flipped), for every channel. */
    private void transformFilters(int f) {
        Pass p = pass;
        int channels = p.flipped ? p.outCh : p.inCh;
        for (int c = 0; c < channels; c++) {
            // U[xi] is [outCh, inCh]: [F, C] forward, [C, F] for backward-data's flipped filters.
            int at = p.flipped ? PackedGemm.packedIndex(c, f, p.inCh) : PackedGemm.packedIndex(f, c, p.inCh);
            transformFilter(p.weights, (f * channels + c) * 9, p.flipped, p.u, at, filterPlane(p));
        }
    }

    /** The weight gradient {@code [F, C, 3, 3]} of filter f from the sums {@code u [16][F][C]}. */
    private void weightGradient(int f) {
        Pass p = pass;
        int channels = p.inCh;
        for (int c = 0; c < channels; c++) {
            weightFromSums(p.u, f * channels + c, plane(p.outCh * channels), p.weights, (f * channels + c) * 9);
        }
    }

    /**
     * {@code U = G g G^T} for the 3x3 filter at {@code w[off]} (turned 180 degrees when flipped),
     * written to {@code u[xi * stride + at]} for the 16 positions xi. G is
     * {@code [[1,0,0],[1/2,1/2,1/2],[1/2,-1/2,1/2],[0,0,1]]}.
     */
    private static void transformFilter(float[] w, int off, boolean flipped, float[] u, int at, int stride) {
        float g00 = w[off + (flipped ? 8 : 0)], g01 = w[off + (flipped ? 7 : 1)], g02 = w[off + (flipped ? 6 : 2)];
        float g10 = w[off + (flipped ? 5 : 3)], g11 = w[off + 4], g12 = w[off + (flipped ? 3 : 5)];
        float g20 = w[off + (flipped ? 2 : 6)], g21 = w[off + (flipped ? 1 : 7)], g22 = w[off + (flipped ? 0 : 8)];
        // G g, row by row; then each row times G^T.
        filterRow(u, at, stride, 0, g00, g01, g02);
        filterRow(u, at, stride, 4, 0.5f * (g00 + g10 + g20), 0.5f * (g01 + g11 + g21), 0.5f * (g02 + g12 + g22));
        filterRow(u, at, stride, 8, 0.5f * (g00 - g10 + g20), 0.5f * (g01 - g11 + g21), 0.5f * (g02 - g12 + g22));
        filterRow(u, at, stride, 12, g20, g21, g22);
    }

    /** Row {@code (a0, a1, a2) G^T} into positions {@code xi .. xi+3}. */
    private static void filterRow(float[] u, int at, int stride, int xi, float a0, float a1, float a2) {
        u[xi * stride + at] = a0;
        u[(xi + 1) * stride + at] = 0.5f * (a0 + a1 + a2);
        u[(xi + 2) * stride + at] = 0.5f * (a0 - a1 + a2);
        u[(xi + 3) * stride + at] = a2;
    }

    /**
     * {@code gw[out : out+9] = G^T S G} for the 4x4 sums {@code s[xi * stride + at]}; G^T is
     * {@code [[1,1/2,1/2,0],[0,1/2,-1/2,0],[0,1/2,1/2,1]]}.
     */
    private static void weightFromSums(float[] s, int at, int stride, float[] gw, int out) {
        for (int row = 0; row < 3; row++) {
            // Row `row` of G^T S, column by column, then times G.
            float p0 = gTransposedRow(row, s, at, stride, 0);
            float p1 = gTransposedRow(row, s, at, stride, 1);
            float p2 = gTransposedRow(row, s, at, stride, 2);
            float p3 = gTransposedRow(row, s, at, stride, 3);
            gw[out + row * 3] = p0 + 0.5f * (p1 + p2);
            gw[out + row * 3 + 1] = 0.5f * (p1 - p2);
            gw[out + row * 3 + 2] = 0.5f * (p1 + p2) + p3;
        }
    }

    /** {@code (G^T S)[row][col]}. */
    private static float gTransposedRow(int row, float[] s, int at, int stride, int col) {
        float m0 = s[col * stride + at];
        float m1 = s[(4 + col) * stride + at];
        float m2 = s[(8 + col) * stride + at];
        float m3 = s[(12 + col) * stride + at];
        return switch (row) {
            case 0 -> m0 + 0.5f * (m1 + m2);
            case 1 -> 0.5f * (m1 - m2);
            default -> 0.5f * (m1 + m2) + m3;
        };
    }

    // ------------------------------------------------------------------ transforms of tiles

    private float[] scratch(int size) {
        float[] s = scratch.get();
        if (s.length < size) {
            s = new float[size];
            scratch.set(s);
        }
        return s;
    }

    /**
     * {@code V = B^T d B} for every tile of channel c of the chunk's images of the source
     * {@code x [N, channels, H, W]}, into {@code v[xi][c][tile]} ({@code [16][channels][tiles]}). B^T
     * is {@code [[1,0,-1,0],[0,1,1,0],[0,-1,1,0],[0,1,0,-1]]}; tile (ty, tx) reads rows
     * {@code 2ty-1 .. 2ty+2} and columns {@code 2tx-1 .. 2tx+2}, zero outside the image. The image is
     * first split into its even and odd padded columns, so that every step below reads consecutive
     * tiles from consecutive floats (loops the JIT vectorises).
     */
    private void transformInput(int c) {
        Pass t = pass;
        float[] x = t.source;
        float[] v = t.v;
        int n0 = t.first;
        int count = t.count;
        int channels = t.inCh;
        int tiles = t.tiles;
        int h = t.height;
        int w = t.width;
        int tw = t.tilesW;
        int half = tw + 1;
        int rows = 2 * t.tilesH + 2;
        int planeSize = rows * half;
        float[] s = scratch(2 * planeSize + 8 * half);
        int even = 0;
        int odd = planeSize;
        int sums = 2 * planeSize;
        int stride = plane(channels * tiles);
        for (int img = 0; img < count; img++) {
            // Padded row r is image row r-1; padded column 2k is image column 2k-1 (even plane), 2k+1 is
            // 2k (odd plane); the border stays 0.
            int src = ((n0 + img) * channels + c) * h * w;
            Arrays.fill(s, 0, 2 * planeSize, 0f);
            for (int ih = 0; ih < h; ih++) {
                int row = src + ih * w;
                int e = even + (ih + 1) * half;
                int o = odd + (ih + 1) * half;
                for (int k = 1; 2 * k - 1 < w; k++) {
                    s[e + k] = x[row + 2 * k - 1];
                }
                for (int k = 0; 2 * k < w; k++) {
                    s[o + k] = x[row + 2 * k];
                }
            }
            for (int ty = 0; ty < t.tilesH; ty++) {
                // B^T d over the 4 rows, for both planes: t0 = d0 - d2, t1 = d1 + d2, t2 = d2 - d1, t3 = d1 - d3.
                for (int plane = 0; plane < 2; plane++) {
                    int r0 = (plane == 0 ? even : odd) + 2 * ty * half;
                    int dst = sums + plane * 4 * half;
                    int k = 0;
                    for (; k + VL <= half; k += VL) {
                        FloatVector d0 = FloatVector.fromArray(SPECIES, s, r0 + k);
                        FloatVector d1 = FloatVector.fromArray(SPECIES, s, r0 + half + k);
                        FloatVector d2 = FloatVector.fromArray(SPECIES, s, r0 + 2 * half + k);
                        FloatVector d3 = FloatVector.fromArray(SPECIES, s, r0 + 3 * half + k);
                        d0.sub(d2).intoArray(s, dst + k);
                        d1.add(d2).intoArray(s, dst + half + k);
                        d2.sub(d1).intoArray(s, dst + 2 * half + k);
                        d1.sub(d3).intoArray(s, dst + 3 * half + k);
                    }
                    for (; k < half; k++) {
                        float d0 = s[r0 + k];
                        float d1 = s[r0 + half + k];
                        float d2 = s[r0 + 2 * half + k];
                        float d3 = s[r0 + 3 * half + k];
                        s[dst + k] = d0 - d2;
                        s[dst + half + k] = d1 + d2;
                        s[dst + 2 * half + k] = d2 - d1;
                        s[dst + 3 * half + k] = d1 - d3;
                    }
                }
                // (B^T d) B: columns c0..c3 of tile tx are even[tx], odd[tx], even[tx+1], odd[tx+1].
                int tile = c * tiles + img * t.tilesPerImage() + ty * tw;
                for (int i = 0; i < 4; i++) {
                    int te = sums + i * half;
                    int to = sums + (4 + i) * half;
                    int out = 4 * i * stride + tile;
                    int tx = 0;
                    for (; tx + VL <= tw; tx += VL) {
                        FloatVector c0 = FloatVector.fromArray(SPECIES, s, te + tx);
                        FloatVector c1 = FloatVector.fromArray(SPECIES, s, to + tx);
                        FloatVector c2 = FloatVector.fromArray(SPECIES, s, te + tx + 1);
                        FloatVector c3 = FloatVector.fromArray(SPECIES, s, to + tx + 1);
                        c0.sub(c2).intoArray(v, out + tx);
                        c1.add(c2).intoArray(v, out + stride + tx);
                        c2.sub(c1).intoArray(v, out + 2 * stride + tx);
                        c1.sub(c3).intoArray(v, out + 3 * stride + tx);
                    }
                    for (; tx < tw; tx++) {
                        float c0 = s[te + tx];
                        float c1 = s[to + tx];
                        float c2 = s[te + tx + 1];
                        float c3 = s[to + tx + 1];
                        v[out + tx] = c0 - c2;
                        v[out + stride + tx] = c1 + c2;
                        v[out + 2 * stride + tx] = c2 - c1;
                        v[out + 3 * stride + tx] = c1 - c3;
                    }
                }
            }
        }
    }

    /**
     * {@code Y = A^T M A + bias} for every tile of output channel f from {@code m [16][outCh][tiles]},
     * into images {@code n0 .. n0+count} of {@code y [N, outCh, H, W]}; A^T is
     * {@code [[1,1,1,0],[0,1,-1,-1]]}. Tiles past an odd edge write only their rows and columns inside.
     */
    private void transformOutput(int f) {
        Pass t = pass;
        float[] m = t.m;
        float[] y = t.target;
        float bias = t.bias == null ? 0f : t.bias[f];
        int tiles = t.tiles;
        int outCh = t.outCh;
        int n0 = t.first;
        int count = t.count;
        int h = t.height;
        int w = t.width;
        int tw = t.tilesW;
        int stride = plane(outCh * tiles);
        float[] s = scratch(4 * tw);
        for (int img = 0; img < count; img++) {
            int dstPlane = ((n0 + img) * outCh + f) * h * w;
            for (int ty = 0; ty < t.tilesH; ty++) {
                int tile = f * tiles + img * t.tilesPerImage() + ty * tw;
                int tx = 0;
                for (; tx + VL <= tw; tx += VL) {
                    int at = tile + tx;
                    // Rows of A^T M: s0 = m0 + m1 + m2, s1 = m1 - m2 - m3, per column j; then each row times A.
                    FloatVector s00 = load(m, at, stride, 0).add(load(m, at, stride, 4)).add(load(m, at, stride, 8));
                    FloatVector s01 = load(m, at, stride, 1).add(load(m, at, stride, 5)).add(load(m, at, stride, 9));
                    FloatVector s02 = load(m, at, stride, 2).add(load(m, at, stride, 6)).add(load(m, at, stride, 10));
                    FloatVector s03 = load(m, at, stride, 3).add(load(m, at, stride, 7)).add(load(m, at, stride, 11));
                    FloatVector s10 = load(m, at, stride, 4).sub(load(m, at, stride, 8)).sub(load(m, at, stride, 12));
                    FloatVector s11 = load(m, at, stride, 5).sub(load(m, at, stride, 9)).sub(load(m, at, stride, 13));
                    FloatVector s12 = load(m, at, stride, 6).sub(load(m, at, stride, 10)).sub(load(m, at, stride, 14));
                    FloatVector s13 = load(m, at, stride, 7).sub(load(m, at, stride, 11)).sub(load(m, at, stride, 15));
                    s00.add(s01).add(s02).add(bias).intoArray(s, tx);
                    s01.sub(s02).sub(s03).add(bias).intoArray(s, tw + tx);
                    s10.add(s11).add(s12).add(bias).intoArray(s, 2 * tw + tx);
                    s11.sub(s12).sub(s13).add(bias).intoArray(s, 3 * tw + tx);
                }
                for (; tx < tw; tx++) {
                    int at = tile + tx;
                    float s00 = m[at] + m[at + 4 * stride] + m[at + 8 * stride];
                    float s01 = m[at + stride] + m[at + 5 * stride] + m[at + 9 * stride];
                    float s02 = m[at + 2 * stride] + m[at + 6 * stride] + m[at + 10 * stride];
                    float s03 = m[at + 3 * stride] + m[at + 7 * stride] + m[at + 11 * stride];
                    float s10 = m[at + 4 * stride] - m[at + 8 * stride] - m[at + 12 * stride];
                    float s11 = m[at + 5 * stride] - m[at + 9 * stride] - m[at + 13 * stride];
                    float s12 = m[at + 6 * stride] - m[at + 10 * stride] - m[at + 14 * stride];
                    float s13 = m[at + 7 * stride] - m[at + 11 * stride] - m[at + 15 * stride];
                    s[tx] = s00 + s01 + s02 + bias;
                    s[tw + tx] = s01 - s02 - s03 + bias;
                    s[2 * tw + tx] = s10 + s11 + s12 + bias;
                    s[3 * tw + tx] = s11 - s12 - s13 + bias;
                }
                int oh = 2 * ty;
                for (int dy = 0; dy < 2 && oh + dy < h; dy++) {
                    int row = dstPlane + (oh + dy) * w;
                    int left = 2 * dy * tw;
                    int right = left + tw;
                    for (int k = 0; k < tw; k++) {
                        int ow = 2 * k;
                        y[row + ow] = s[left + k];
                        if (ow + 1 < w) {
                            y[row + ow + 1] = s[right + k];
                        }
                    }
                }
            }
        }
    }

    /** One vector of plane xi from {@code m[at + xi * stride]}. */
    private static FloatVector load(float[] m, int at, int stride, int xi) {
        return FloatVector.fromArray(SPECIES, m, at + xi * stride);
    }

    /**
     * {@code Z = A G A^T} for every 2x2 tile G of output-gradient channel f of images
     * {@code n0 .. n0+count} of {@code gy [N, filters, H, W]}, into {@code z [16][filters][tiles]};
     * A is {@code [[1,0],[1,1],[1,-1],[0,-1]]}, positions past an odd edge count as 0.
     */
    private void transformGradient(int f) {
        Pass t = pass;
        float[] gy = t.gradient;
        float[] z = t.m;
        int filters = t.outCh;
        int tiles = t.tiles;
        int n0 = t.first;
        int count = t.count;
        int h = t.height;
        int w = t.width;
        int tw = t.tilesW;
        int stride = plane(filters * tiles);
        // The tile row's two gradient rows split into even and odd columns: [even0 | odd0 | even1 | odd1], tw each.
        float[] s = scratch(4 * tw);
        for (int img = 0; img < count; img++) {
            int src = ((n0 + img) * filters + f) * h * w;
            for (int ty = 0; ty < t.tilesH; ty++) {
                Arrays.fill(s, 0, 4 * tw, 0f);
                for (int dy = 0; dy < 2 && 2 * ty + dy < h; dy++) {
                    int row = src + (2 * ty + dy) * w;
                    int e = 2 * dy * tw;
                    for (int k = 0; 2 * k < w; k++) {
                        s[e + k] = gy[row + 2 * k];
                    }
                    for (int k = 0; 2 * k + 1 < w; k++) {
                        s[e + tw + k] = gy[row + 2 * k + 1];
                    }
                }
                int out = f * tiles + img * t.tilesPerImage() + ty * tw;
                int tx = 0;
                for (; tx + VL <= tw; tx += VL) {
                    FloatVector e0 = FloatVector.fromArray(SPECIES, s, tx);
                    FloatVector o0 = FloatVector.fromArray(SPECIES, s, tw + tx);
                    FloatVector e1 = FloatVector.fromArray(SPECIES, s, 2 * tw + tx);
                    FloatVector o1 = FloatVector.fromArray(SPECIES, s, 3 * tw + tx);
                    // Rows of A G: r0 = g0, r1 = g0 + g1, r2 = g0 - g1, r3 = -g1; then each row times A^T.
                    int at = out + tx;
                    gradientRow(z, at, stride, e0, o0);
                    gradientRow(z, at + 4 * stride, stride, e0.add(e1), o0.add(o1));
                    gradientRow(z, at + 8 * stride, stride, e0.sub(e1), o0.sub(o1));
                    gradientRow(z, at + 12 * stride, stride, e1.neg(), o1.neg());
                }
                for (; tx < tw; tx++) {
                    float e0 = s[tx];
                    float o0 = s[tw + tx];
                    float e1 = s[2 * tw + tx];
                    float o1 = s[3 * tw + tx];
                    int at = out + tx;
                    gradientRow(z, at, stride, e0, o0);
                    gradientRow(z, at + 4 * stride, stride, e0 + e1, o0 + o1);
                    gradientRow(z, at + 8 * stride, stride, e0 - e1, o0 - o1);
                    gradientRow(z, at + 12 * stride, stride, -e1, -o1);
                }
            }
        }
    }

    /** Row {@code (e, o) A^T = (e, e + o, e - o, -o)} into 4 planes {@code stride} apart from {@code at}, lanes of consecutive tiles. */
    private static void gradientRow(float[] z, int at, int stride, FloatVector e, FloatVector o) {
        e.intoArray(z, at);
        e.add(o).intoArray(z, at + stride);
        e.sub(o).intoArray(z, at + 2 * stride);
        o.neg().intoArray(z, at + 3 * stride);
    }

    /** The same for one tile. */
    private static void gradientRow(float[] z, int at, int stride, float e, float o) {
        z[at] = e;
        z[at + stride] = e + o;
        z[at + 2 * stride] = e - o;
        z[at + 3 * stride] = -o;
    }

    // ------------------------------------------------------------------ the same across images

    /*
     * On maps narrower than a vector of tiles the row-wise transforms above would run their scalar
     * tails only (VGG's 8x8, 4x4 and 2x2 maps at 32x32, 12x12 and smaller at 50x50). There a chunk's
     * tiles are ordered [ty][tx][image], each tile position holding whole vectors of images (the last
     * padded with zero images), so a vector is one tile position of VL consecutive images: each group
     * of VL images is first copied into a padded scratch [rows][cols][VL], then every tile is a few
     * whole-vector adds. Vectors stay inside these methods: a vector passed to a method that C2 does
     * not inline is boxed, and these methods are large enough for C2 to stop inlining.
     */

    /**
     * {@link #transformInput} across images: the source's channel c, images of the chunk in groups of
     * VL, into {@code v[xi][c][(ty * tilesW + tx) * lanes + image]}.
     */
    private void transformInputAcrossImages(int c) {
        Pass t = pass;
        float[] x = t.source;
        float[] v = t.v;
        int h = t.height;
        int w = t.width;
        int lanes = t.lanes(t.count);
        int rows = 2 * t.tilesH + 2;
        int cols = 2 * t.tilesW + 2;
        int size = rows * cols * VL;
        int stride = plane(t.inCh * t.tiles);
        // The padded images, then 16 vectors for B^T d.
        float[] d = scratch(size + XI * VL);
        for (int g = 0; g < lanes; g += VL) {
            // Padded row r, column k is image row r-1, column k-1; the border, past an odd edge and
            // the lanes past the chunk's images stay 0.
            int images = Math.min(VL, t.count - g);
            if (g == 0 || images < VL) {
                Arrays.fill(d, 0, size, 0f);
            }
            for (int lane = 0; lane < images; lane++) {
                int src = ((t.first + g + lane) * t.inCh + c) * h * w;
                for (int ih = 0; ih < h; ih++) {
                    int dst = ((ih + 1) * cols + 1) * VL + lane;
                    for (int iw = 0; iw < w; iw++) {
                        d[dst + iw * VL] = x[src + ih * w + iw];
                    }
                }
            }
            for (int ty = 0; ty < t.tilesH; ty++) {
                for (int tx = 0; tx < t.tilesW; tx++) {
                    inputTile(d, (2 * ty * cols + 2 * tx) * VL, cols * VL, size, v,
                            c * t.tiles + (ty * t.tilesW + tx) * lanes + g, stride);
                }
            }
        }
    }

    /**
     * {@code V = B^T d B} for the 4x4 patch of VL images at {@code d[at]} (rows {@code row} floats
     * apart, columns VL), into the 16 planes {@code stride} apart from {@code v[out]}; B^T d goes
     * through {@code d[tmp : tmp + 16 * VL]}.
     */
    private static void inputTile(float[] d, int at, int row, int tmp, float[] v, int out, int stride) {
        for (int j = 0; j < 4; j++) {
            // Column j of B^T d: (d0 - d2, d1 + d2, d2 - d1, d1 - d3) down the patch's rows.
            int col = at + j * VL;
            FloatVector d0 = FloatVector.fromArray(SPECIES, d, col);
            FloatVector d1 = FloatVector.fromArray(SPECIES, d, col + row);
            FloatVector d2 = FloatVector.fromArray(SPECIES, d, col + 2 * row);
            FloatVector d3 = FloatVector.fromArray(SPECIES, d, col + 3 * row);
            d0.sub(d2).intoArray(d, tmp + j * VL);
            d1.add(d2).intoArray(d, tmp + (4 + j) * VL);
            d2.sub(d1).intoArray(d, tmp + (8 + j) * VL);
            d1.sub(d3).intoArray(d, tmp + (12 + j) * VL);
        }
        for (int i = 0; i < 4; i++) {
            // Row i of B^T d times B: (c0 - c2, c1 + c2, c2 - c1, c1 - c3).
            int r = tmp + 4 * i * VL;
            FloatVector c0 = FloatVector.fromArray(SPECIES, d, r);
            FloatVector c1 = FloatVector.fromArray(SPECIES, d, r + VL);
            FloatVector c2 = FloatVector.fromArray(SPECIES, d, r + 2 * VL);
            FloatVector c3 = FloatVector.fromArray(SPECIES, d, r + 3 * VL);
            int o = out + 4 * i * stride;
            c0.sub(c2).intoArray(v, o);
            c1.add(c2).intoArray(v, o + stride);
            c2.sub(c1).intoArray(v, o + 2 * stride);
            c1.sub(c3).intoArray(v, o + 3 * stride);
        }
    }

    /**
     * {@link #transformOutput} across images: output channel f of the chunk's images, in groups of VL,
     * through a scratch {@code [2 tilesH][2 tilesW][VL]}.
     */
    private void transformOutputAcrossImages(int f) {
        Pass t = pass;
        float[] y = t.target;
        float bias = t.bias == null ? 0f : t.bias[f];
        int h = t.height;
        int w = t.width;
        int lanes = t.lanes(t.count);
        int cols = 2 * t.tilesW;
        int stride = plane(t.outCh * t.tiles);
        int size = 2 * t.tilesH * cols * VL;
        // The output block, then 8 vectors for A^T M.
        float[] o = scratch(size + 8 * VL);
        for (int g = 0; g < lanes; g += VL) {
            for (int ty = 0; ty < t.tilesH; ty++) {
                for (int tx = 0; tx < t.tilesW; tx++) {
                    outputTile(t.m, f * t.tiles + (ty * t.tilesW + tx) * lanes + g, stride, bias, o,
                            (2 * ty * cols + 2 * tx) * VL, cols * VL, size);
                }
            }
            int images = Math.min(VL, t.count - g);
            for (int lane = 0; lane < images; lane++) {
                int dst = ((t.first + g + lane) * t.outCh + f) * h * w;
                for (int oh = 0; oh < h; oh++) {
                    int src = oh * cols * VL + lane;
                    for (int ow = 0; ow < w; ow++) {
                        y[dst + oh * w + ow] = o[src + ow * VL];
                    }
                }
            }
        }
    }

    /**
     * {@code Y = A^T M A + bias} of VL images from the 16 planes {@code stride} apart at {@code m[at]},
     * into the 2x2 block at {@code o[top]} (rows {@code row} floats apart, columns VL); A^T M goes
     * through {@code o[tmp : tmp + 8 * VL]}.
     */
    private static void outputTile(float[] m, int at, int stride, float bias, float[] o, int top, int row, int tmp) {
        for (int j = 0; j < 4; j++) {
            // Column j of A^T M: (m0 + m1 + m2, m1 - m2 - m3) down the rows of M.
            FloatVector m0 = FloatVector.fromArray(SPECIES, m, at + j * stride);
            FloatVector m1 = FloatVector.fromArray(SPECIES, m, at + (4 + j) * stride);
            FloatVector m2 = FloatVector.fromArray(SPECIES, m, at + (8 + j) * stride);
            FloatVector m3 = FloatVector.fromArray(SPECIES, m, at + (12 + j) * stride);
            m0.add(m1).add(m2).intoArray(o, tmp + j * VL);
            m1.sub(m2).sub(m3).intoArray(o, tmp + (4 + j) * VL);
        }
        for (int i = 0; i < 2; i++) {
            // Row i of A^T M times A: (s0 + s1 + s2, s1 - s2 - s3), plus the bias.
            int r = tmp + 4 * i * VL;
            FloatVector s0 = FloatVector.fromArray(SPECIES, o, r);
            FloatVector s1 = FloatVector.fromArray(SPECIES, o, r + VL);
            FloatVector s2 = FloatVector.fromArray(SPECIES, o, r + 2 * VL);
            FloatVector s3 = FloatVector.fromArray(SPECIES, o, r + 3 * VL);
            s0.add(s1).add(s2).add(bias).intoArray(o, top + i * row);
            s1.sub(s2).sub(s3).add(bias).intoArray(o, top + i * row + VL);
        }
    }

    /**
     * {@link #transformGradient} across images: output-gradient channel f of the chunk's images, in
     * groups of VL, copied into a scratch {@code [2 tilesH][2 tilesW][VL]} (0 past an odd edge and in
     * the lanes past the chunk's images).
     */
    private void transformGradientAcrossImages(int f) {
        Pass t = pass;
        float[] gy = t.gradient;
        int h = t.height;
        int w = t.width;
        int lanes = t.lanes(t.count);
        int cols = 2 * t.tilesW;
        int size = 2 * t.tilesH * cols * VL;
        int stride = plane(t.outCh * t.tiles);
        float[] s = scratch(size);
        for (int g = 0; g < lanes; g += VL) {
            int images = Math.min(VL, t.count - g);
            if (g == 0 || images < VL) {
                Arrays.fill(s, 0, size, 0f);
            }
            for (int lane = 0; lane < images; lane++) {
                int src = ((t.first + g + lane) * t.outCh + f) * h * w;
                for (int oh = 0; oh < h; oh++) {
                    int dst = oh * cols * VL + lane;
                    for (int ow = 0; ow < w; ow++) {
                        s[dst + ow * VL] = gy[src + oh * w + ow];
                    }
                }
            }
            for (int ty = 0; ty < t.tilesH; ty++) {
                for (int tx = 0; tx < t.tilesW; tx++) {
                    gradientTile(s, (2 * ty * cols + 2 * tx) * VL, cols * VL, t.m,
                            f * t.tiles + (ty * t.tilesW + tx) * lanes + g, stride);
                }
            }
        }
    }

    /**
     * {@code Z = A G A^T} of the 2x2 gradient block of VL images at {@code s[top]} (rows {@code row}
     * floats apart, columns VL), into the 16 planes {@code stride} apart from {@code z[out]}.
     */
    private static void gradientTile(float[] s, int top, int row, float[] z, int out, int stride) {
        FloatVector e0 = FloatVector.fromArray(SPECIES, s, top);
        FloatVector o0 = FloatVector.fromArray(SPECIES, s, top + VL);
        FloatVector e1 = FloatVector.fromArray(SPECIES, s, top + row);
        FloatVector o1 = FloatVector.fromArray(SPECIES, s, top + row + VL);
        // Rows of A G: g0, g0 + g1, g0 - g1, -g1; then each row times A^T. Written out, not a loop
        // choosing a row's vectors: C2 boxed those merged vectors whenever it did not unroll the loop.
        gradientRow(z, out, stride, e0, o0);
        gradientRow(z, out + 4 * stride, stride, e0.add(e1), o0.add(o1));
        gradientRow(z, out + 8 * stride, stride, e0.sub(e1), o0.sub(o1));
        gradientRow(z, out + 12 * stride, stride, e1.neg(), o1.neg());
    }
}
