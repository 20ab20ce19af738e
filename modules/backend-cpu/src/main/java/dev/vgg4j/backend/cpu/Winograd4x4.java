package dev.vgg4j.backend.cpu;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Conv2dSpec;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A 3x3, stride-1, padding-1 convolution by Winograd's F(4x4, 3x3) (Lavin and Gray, 2016), all three
 * passes: the forward (training and inference, with the bias and, for inference, the ReLU applied in
 * the output transform), the backward to the input (the same forward on gy with the filters turned 180
 * degrees and transposed, {@code [C, F]}) and the backward to the weights. Each 4x4 output tile is
 * {@code A^T [(G g G^T) . (B^T d B)] A} for its 6x6 input patch d: 36 multiplies per
 * (filter, channel) for 16 outputs, against 64 for F(2x2)'s four tiles and 144 direct. As in
 * {@link WinogradConvolution}, the 36 transformed positions xi are 36 independent GEMMs done by
 * {@link PackedGemm}, each on one thread (the result does not depend on the thread count):
 * <pre>
 * forward:         M[xi] [F, T] = U[xi] [F, C] * V[xi] [C, T]     U = G w G^T, V = B^T x B, y = A^T M A + bias
 * backward-weight: W[xi] [F, C] = sum Z[xi] [F, T] * V[xi]^T     Z = A gy A^T,  gw = G^T W G
 * </pre>
 * T is the tiles of a chunk of images. Unlike F(2x2)'s (only halving), F(4x4)'s coefficients (1/4,
 * 1/6, 1/24, 4, 5, 8) round; the three passes stay within the kit's float32 tolerance against the
 * float64 oracle on every VGG16 layer at 32x32 and 50x50 and on odd maps (a float32 simulation put
 * the weight gradient's error at 1e-6 to 3e-6 of its norm, against F(2x2)'s 1e-7 to 8e-7).
 * Transforms run vectorised across {@code VL} tiles, which may span image rows and images, so that
 * small maps (4x4, one tile per image) fill whole vectors.
 */
final class Winograd4x4 {
    private static final VectorSpecies<Float> SPECIES = MicroKernel.SPECIES;
    private static final int VL = MicroKernel.VL;
    /** One 4-float row of an output tile. */
    private static final VectorSpecies<Float> ROW = FloatVector.SPECIES_128;
    /** Transformed positions of a 6x6 tile. */
    private static final int XI = 36;
    /** Floats between two planes past their size: keeps planes out of the same L1 sets, and lets a tail vector read on. */
    private static final int PLANE_PAD = 16;
    /** Tiles per chunk to aim for: GEMMs wide enough for full panels, transformed tiles within L2/L3. */
    private static final int TARGET_TILES = 256;
    /** Filter-channel pairs per task of the filter transform. */
    private static final int FILTER_BLOCK = 64 * VL;

    private final PackedGemm gemm;
    private final WorkerPool pool;
    /** The inference forward's filter transforms, per weight array. */
    private final KeptFilterTransforms kept = new KeptFilterTransforms();
    /** {@code [36][F][C]}, {@code [36][C][T]} and {@code [36][F][T]}, grown to the largest layer and reused. */
    private float[] u = new float[0];
    private float[] v = new float[0];
    private float[] m = new float[0];
    /**
     * Per tile of a full chunk: where its 6x6 patch starts in the chunk's padded planes, where its 4x4
     * output starts relative to the chunk's first image and filter 0, and how many of its output
     * rows and columns lie inside the image (4, or fewer at an edge). Made once per call.
     */
    private int[] patchAt = new int[0];
    private int[] outputAt = new int[0];
    private int[] outputRows = new int[0];
    private int[] outputCols = new int[0];
    /** Per-thread scratch: tile-minor rows ({@code [36][VL]} twice), then the padded planes of one channel. */
    private final ThreadLocal<float[]> scratch = ThreadLocal.withInitial(() -> new float[0]);

    // The call in progress, read by the pool's tasks: set before each fan-out rather than captured by
    // new lambdas, so that a call allocates nothing once the arrays have grown. Calls run one at a time.
    private float[] x;
    private float[] w;
    private float[] bias;
    private boolean relu;
    /** Backward-data: w is read turned 180 degrees and transposed, {@code [C, F]}. */
    private boolean flipped;
    private float[] y;
    private int height;
    private int width;
    private int tilesH;
    private int tilesW;
    /** Images per chunk. */
    private int chunk;
    private int channels;
    private int filters;
    /** The chunk in progress: its first image, image count and tiles; backward-weight: beta of its sums. */
    private int first;
    private int count;
    private int tiles;
    private float beta;
    // The pool's tasks, made once.
    private final IntConsumer filterTransform = this::transformFilterBlock;
    private final IntConsumer inputTransform = this::transformInput;
    private final IntConsumer products = this::multiplyTiles;
    private final IntConsumer outputTransform = this::transformOutput;
    private final IntConsumer gradientTransform = this::transformGradient;
    private final IntConsumer weightProducts = this::multiplyGradientTiles;
    private final IntConsumer weightTransform = this::weightGradientBlock;
    private final Consumer<float[]> filterTransformInto = this::transformFiltersInto;

    Winograd4x4(PackedGemm gemm, WorkerPool pool) {
        this.gemm = gemm;
        this.pool = pool;
    }

    /**
     * 3x3, stride 1, padding 1, where F(4x4)'s tiles need at most 3/4 of the multiplies of F(2x2)'s
     * (36 per 6x6 tile against 16 per 4x4 tile): cut tiles waste the rest, so not on 2x2 maps (36
     * against 16) nor 6x6 (144 against 144), where F(2x2) with its cheaper transforms was faster in
     * the busy machine's profile; elsewhere on VGG's maps F(4x4) needs 0.56 to 0.65 of them.
     */
    static boolean supports(Shape input, Shape weight, Conv2dSpec spec) {
        long fourByFour = 36L * ((input.h() + 3) / 4) * ((input.w() + 3) / 4);
        long twoByTwo = 16L * ((input.h() + 1) / 2) * ((input.w() + 1) / 2);
        return weight.dim(2) == 3 && weight.dim(3) == 3 && spec.stride() == 1 && spec.padding() == 1
                && 4 * fourByFour <= 3 * twoByTwo;
    }

    private static int plane(int size) {
        return size + PLANE_PAD;
    }

    private int tilesPerImage() {
        return tilesH * tilesW;
    }

    /** Row length of a padded plane: one zero column left, the image, zeros up to the last tile's patch. */
    private int paddedWidth() {
        return 4 * tilesW + 2;
    }

    private int paddedPlane() {
        return (4 * tilesH + 2) * paddedWidth();
    }

    /**
     * x {@code [N, C, H, W]}, w {@code [F, C, 3, 3]}, bias {@code [F]} or null -> y {@code [N, F, H, W]}
     * = conv(x, w) + bias, for training (the filters transformed every call: they change every step).
     */
    void forward(float[] x, Shape input, float[] w, Shape weight, float[] bias, float[] y) {
        this.bias = bias;
        this.relu = false;
        this.flipped = false;
        convolve(x, input.n(), input.h(), input.w(), w, weight.dim(0), weight.dim(1), y);
    }

    /**
     * {@link #forward} with the ReLU, for inference: the filters' transform is kept per weight array
     * ({@link KeptFilterTransforms}), so a network whose weights do not change between batches
     * transforms them once.
     */
    void inferenceForward(float[] x, Shape input, float[] w, Shape weight, float[] bias, float[] y) {
        this.bias = bias;
        this.relu = true;
        this.flipped = false;
        begin(x, input.n(), input.h(), input.w(), w, weight.dim(0), weight.dim(1), y);
        float[] workspace = u;
        u = kept.of(w, XI * filterPlane(), filterTransformInto);
        try {
            convolveChunks(input.n());
        } finally {
            u = workspace;
        }
    }

    /** The filter transform of the call's w into {@code target}, as the pool's tasks read u. */
    private void transformFiltersInto(float[] target) {
        u = target;
        pool.parallelFor((filters * channels + FILTER_BLOCK - 1) / FILTER_BLOCK, filterTransform);
    }

    /**
     * gy {@code [N, F, H, W]}, w {@code [F, C, 3, 3]} -> gx {@code [N, C, H, W]} = the convolution of
     * gy with the filters turned 180 degrees, {@code w'[c, f, kh, kw] = w[f, c, 2-kh, 2-kw]}.
     */
    void backwardInput(float[] gy, float[] w, Shape weight, float[] gx, Shape input) {
        this.bias = null;
        this.relu = false;
        this.flipped = true;
        convolve(gy, input.n(), input.h(), input.w(), w, weight.dim(1), weight.dim(0), gx);
    }

    /**
     * x {@code [N, C, H, W]}, gy {@code [N, F, H, W]} -> gw {@code [F, C, 3, 3]} (overwritten):
     * {@code W[xi] [F, C] = sum over chunks of Z[xi] [F, T] * V[xi]^T [T, C]} with {@code Z = A gy A^T}
     * of each 4x4 tile of gy and V the forward's input transform, then {@code gw = G^T W G}.
     */
    void backwardWeight(float[] x, Shape input, float[] gy, float[] gw, Shape weight) {
        this.x = x;
        this.y = gy;
        this.w = gw;
        layout(input.n(), input.h(), input.w(), weight.dim(0), weight.dim(1));
        for (first = 0; first < input.n(); first += chunk) {
            count = Math.min(chunk, input.n() - first);
            tiles = count * tilesPerImage();
            beta = first == 0 ? 0f : 1f;
            pool.parallelFor(channels, inputTransform);
            pool.parallelFor(filters, gradientTransform);
            pool.parallelFor(XI, weightProducts);
        }
        pool.parallelFor((filters * channels + FILTER_BLOCK - 1) / FILTER_BLOCK, weightTransform);
    }

    /** {@code y [images, filters, H, W]} from {@code x [images, channels, H, W]} by the filters of {@code w}. */
    private void convolve(float[] x, int images, int height, int width, float[] w, int filters, int channels,
                          float[] y) {
        begin(x, images, height, width, w, filters, channels, y);
        pool.parallelFor((filters * channels + FILTER_BLOCK - 1) / FILTER_BLOCK, filterTransform);
        convolveChunks(images);
    }

    /** The call's source, filters and target, and the layout of its layer. */
    private void begin(float[] x, int images, int height, int width, float[] w, int filters, int channels,
                       float[] y) {
        this.x = x;
        this.w = w;
        this.y = y;
        layout(images, height, width, filters, channels);
    }

    /** The convolution's chunks of images with the filters' transform U in place. */
    private void convolveChunks(int images) {
        for (first = 0; first < images; first += chunk) {
            count = Math.min(chunk, images - first);
            tiles = count * tilesPerImage();
            pool.parallelFor(channels, inputTransform);
            pool.parallelFor(XI, products);
            pool.parallelFor(filters, outputTransform);
        }
    }

    /** Tiles and chunks of the layer, its workspace grown to fit, the per-tile tables filled. */
    private void layout(int images, int height, int width, int filters, int channels) {
        this.height = height;
        this.width = width;
        tilesH = (height + 3) / 4;
        tilesW = (width + 3) / 4;
        chunk = Math.max(1, Math.min(images, TARGET_TILES / tilesPerImage()));
        this.filters = filters;
        this.channels = channels;
        int tileCols = chunk * tilesPerImage();
        // U packed (forward, backward-data), or the weight gradient's sums [36][F][C] (backward-weight).
        u = grown(u, XI * Math.max(filterPlane(), plane(filters * channels)));
        v = grown(v, XI * plane(channels * tileCols));
        m = grown(m, XI * plane(filters * tileCols));
        tabulate(tileCols);
    }

    /** {@code W[xi] [F, C] (+)= Z[xi] [F, tiles] * V[xi]^T [tiles, C]}, summed into u over the chunks. */
    private void multiplyGradientTiles(int xi) {
        gemm.multiply(false, true, filters, channels, tiles, 1f, m, xi * plane(filters * tiles),
                v, xi * plane(channels * tiles), beta, u, xi * plane(filters * channels));
    }

    /** {@code M[xi] [F, tiles] = U[xi] [F, C] * V[xi] [C, tiles]}. */
    private void multiplyTiles(int xi) {
        gemm.multiplyPackedA(filters, tiles, channels, 1f, u, xi * filterPlane(), false,
                v, xi * plane(channels * tiles), 0f, m, xi * plane(filters * tiles));
    }

    private static float[] grown(float[] a, int size) {
        return a.length >= size ? a : new float[size];
    }

    /** Fills the per-tile tables for a full chunk of {@code tileCols} tiles. */
    private void tabulate(int tileCols) {
        if (patchAt.length < tileCols) {
            patchAt = new int[tileCols];
            outputAt = new int[tileCols];
            outputRows = new int[tileCols];
            outputCols = new int[tileCols];
        }
        for (int tile = 0; tile < tileCols; tile++) {
            int img = tile / tilesPerImage();
            int ty = (tile % tilesPerImage()) / tilesW;
            int tx = tile % tilesW;
            patchAt[tile] = img * paddedPlane() + 4 * ty * paddedWidth() + 4 * tx;
            outputAt[tile] = img * filters * height * width + 4 * ty * width + 4 * tx;
            outputRows[tile] = Math.min(4, height - 4 * ty);
            outputCols[tile] = Math.min(4, width - 4 * tx);
        }
    }

    private float[] scratch(int size) {
        float[] s = scratch.get();
        if (s.length < size) {
            s = new float[size];
            scratch.set(s);
        }
        return s;
    }

    // ------------------------------------------------------------------ filters

    /** The filter transform of pairs {@code block * FILTER_BLOCK ..}, VL at a time. */
    private void transformFilterBlock(int block) {
        int pairs = filters * channels;
        // once per block, not per VL pairs: a thread-local lookup is slow on a thread with many (a Spark task's)
        float[] s = scratch(63 * VL);
        for (int q = block * FILTER_BLOCK; q < Math.min(pairs, (block + 1) * FILTER_BLOCK); q += VL) {
            transformFilters(q, pairs, s);
        }
    }

    /** The distance between two of the 36 planes of U {@code [F, C]}, packed for the GEMM. */
    private int filterPlane() {
        return plane(PackedGemm.packedSize(filters, channels));
    }

    /**
     * {@code U = G g G^T} of the 3x3 filters {@code q .. q+VL-1} (of {@code pairs} filter-channel pairs
     * {@code f * C + c}, each 9 floats of w, or when flipped those of the pair (c, f) in reverse), one
     * pair per lane, into u's 36 planes packed for {@link PackedGemm#multiplyPackedA}: packed once per
     * op rather than by each chunk's 36 GEMMs. The taps are first copied tap-major into scratch
     * ({@code [9][VL]}, lanes past the last pair 0), G g goes to scratch as {@code [6][3][VL]}, each of
     * its rows times G^T to scratch {@code [36][VL]}, and each lane to its packed place.
     */
    private void transformFilters(int q, int pairs, float[] s) {
        int lanes = Math.min(VL, pairs - q);
        int taps = 0;
        int gg = 9 * VL;
        int transformed = 27 * VL;
        for (int lane = 0; lane < VL; lane++) {
            int pair = q + lane;
            // Flipped, pair (c, f) of U [C, F] is w's pair (f, c), tap k its tap 8 - k.
            int from = flipped ? 9 * ((pair % channels) * filters + pair / channels) + 8 : 9 * pair;
            int step = flipped ? -1 : 1;
            for (int k = 0; k < 9; k++) {
                s[taps + k * VL + lane] = lane < lanes ? w[from + step * k] : 0f;
            }
        }
        for (int col = 0; col < 3; col++) {
            timesG(s, taps + col * VL, 3 * VL, s, gg + col * VL, 3 * VL);
        }
        for (int row = 0; row < 6; row++) {
            timesG(s, gg + 3 * row * VL, VL, s, transformed + 6 * row * VL, VL);
        }
        int stride = filterPlane();
        for (int lane = 0; lane < lanes; lane++) {
            int pair = q + lane;
            int at = PackedGemm.packedIndex(pair / channels, pair % channels, channels);
            for (int xi = 0; xi < XI; xi++) {
                u[xi * stride + at] = s[transformed + xi * VL + lane];
            }
        }
    }

    /**
     * G times the column of 3 vectors {@code src[from + k * srcStep]}, lane by lane, into
     * {@code dst[to + k * step]}, k = 0..5; G is
     * {@code [[1/4,0,0],[-1/6,-1/6,-1/6],[-1/6,1/6,-1/6],[1/24,1/12,1/6],[1/24,-1/12,1/6],[0,0,1]]}.
     * Vectors go in and out through arrays: passed across a call the JIT did not inline, they would be boxed.
     */
    private static void timesG(float[] src, int from, int srcStep, float[] dst, int to, int step) {
        FloatVector g0 = FloatVector.fromArray(SPECIES, src, from);
        FloatVector g1 = FloatVector.fromArray(SPECIES, src, from + srcStep);
        FloatVector g2 = FloatVector.fromArray(SPECIES, src, from + 2 * srcStep);
        FloatVector outer = g0.add(g2);
        FloatVector quarter = g0.mul(1f / 24).add(g2.mul(1f / 6));
        FloatVector twelfth = g1.mul(1f / 12);
        g0.mul(0.25f).intoArray(dst, to);
        outer.add(g1).mul(-1f / 6).intoArray(dst, to + step);
        outer.sub(g1).mul(-1f / 6).intoArray(dst, to + 2 * step);
        quarter.add(twelfth).intoArray(dst, to + 3 * step);
        quarter.sub(twelfth).intoArray(dst, to + 4 * step);
        g2.intoArray(dst, to + 5 * step);
    }

    // ------------------------------------------------------------------ input tiles

    /**
     * {@code V = B^T d B} for every tile of channel c of the chunk's images into
     * {@code v[xi * plane + c * tiles + tile]}. Tile (ty, tx) reads rows
     * {@code 4ty-1 .. 4ty+4} and columns {@code 4tx-1 .. 4tx+4}, zero outside the image: the images
     * are first copied into zero-bordered planes, so that every patch is read without bounds checks.
     * B^T is {@code [[4,0,-5,0,1,0],[0,-4,-4,1,1,0],[0,4,-4,-1,1,0],[0,-2,-1,2,1,0],[0,2,-1,-2,1,0],[0,4,0,-5,0,1]]}.
     */
    private void transformInput(int c) {
        int pw = paddedWidth();
        int padded = 2 * XI * VL;
        int stride = plane(channels * tiles);
        float[] s = scratch(padded + count * paddedPlane());
        Arrays.fill(s, padded, padded + count * paddedPlane(), 0f);
        for (int img = 0; img < count; img++) {
            int src = ((first + img) * channels + c) * height * width;
            int dst = padded + img * paddedPlane() + pw + 1;
            for (int row = 0; row < height; row++) {
                System.arraycopy(x, src + row * width, s, dst + row * pw, width);
            }
        }
        int d = 0;
        int e = XI * VL;
        for (int t0 = 0; t0 < tiles; t0 += VL) {
            int lanes = Math.min(VL, tiles - t0);
            for (int lane = 0; lane < lanes; lane++) {
                int patch = padded + patchAt[t0 + lane];
                for (int i = 0; i < 6; i++) {
                    for (int j = 0; j < 6; j++) {
                        s[d + (6 * i + j) * VL + lane] = s[patch + i * pw + j];
                    }
                }
            }
            // B^T d down each of the 6 columns, then (B^T d) B along each of the 6 rows; lanes past the
            // chunk's tiles hold the previous group's values and are not stored.
            for (int j = 0; j < 6; j++) {
                inputRows(s, d + j * VL, 6 * VL, s, e + j * VL, 6 * VL);
            }
            for (int i = 0; i < 6; i++) {
                inputRows(s, e + 6 * i * VL, VL, s, d + 6 * i * VL, VL);
            }
            int out = c * tiles + t0;
            for (int xi = 0; xi < XI; xi++) {
                int dst = xi * stride + out;
                if (lanes == VL) {
                    FloatVector.fromArray(SPECIES, s, d + xi * VL).intoArray(v, dst);
                } else {
                    System.arraycopy(s, d + xi * VL, v, dst, lanes);
                }
            }
        }
    }

    /** B^T applied to 6 vectors {@code src[from + k * step]}, into {@code dst[to + k * dstStep]}, k = 0..5. */
    private static void inputRows(float[] src, int from, int step, float[] dst, int to, int dstStep) {
        FloatVector d0 = FloatVector.fromArray(SPECIES, src, from);
        FloatVector d1 = FloatVector.fromArray(SPECIES, src, from + step);
        FloatVector d2 = FloatVector.fromArray(SPECIES, src, from + 2 * step);
        FloatVector d3 = FloatVector.fromArray(SPECIES, src, from + 3 * step);
        FloatVector d4 = FloatVector.fromArray(SPECIES, src, from + 4 * step);
        FloatVector d5 = FloatVector.fromArray(SPECIES, src, from + 5 * step);
        FloatVector d4m2 = d4.sub(d2);
        FloatVector d3m1 = d3.sub(d1).mul(2f);
        d0.mul(4f).add(d4).sub(d2.mul(5f)).intoArray(dst, to);
        d3.add(d4).sub(d1.add(d2).mul(4f)).intoArray(dst, to + dstStep);
        d4.sub(d3).add(d1.sub(d2).mul(4f)).intoArray(dst, to + 2 * dstStep);
        d4m2.add(d3m1).intoArray(dst, to + 3 * dstStep);
        d4m2.sub(d3m1).intoArray(dst, to + 4 * dstStep);
        d1.mul(4f).add(d5).sub(d3.mul(5f)).intoArray(dst, to + 5 * dstStep);
    }

    // ------------------------------------------------------------------ output tiles

    /**
     * {@code Y = A^T M A + bias} (then max 0 when {@code relu}) for every tile of output channel f from
     * {@code m[xi * plane + f * tiles + tile]} into the chunk's images of y {@code [N, F, H, W]}; A^T is {@code [[1,1,1,1,1,0],[0,1,-1,2,-2,0],[0,1,1,4,4,0],[0,1,-1,8,-8,1]]}.
     * Tiles past an edge write only their rows and columns inside the image.
     */
    private void transformOutput(int f) {
        float[] s = scratch(2 * XI * VL);
        int e = XI * VL;
        int stride = plane(filters * tiles);
        int chunkStart = (first * filters + f) * height * width;
        float b = bias == null ? 0f : bias[f];
        for (int t0 = 0; t0 < tiles; t0 += VL) {
            int lanes = Math.min(VL, tiles - t0);
            int at = f * tiles + t0;
            // A^T M down each of the 6 columns (4 rows each), then along each of the 4 rows.
            for (int j = 0; j < 6; j++) {
                outputRows(m, at + j * stride, 6 * stride, s, e + j * VL, 6 * VL);
            }
            for (int r = 0; r < 4; r++) {
                outputRows(s, e + 6 * r * VL, VL, s, 4 * r * VL, VL);
            }
            for (int k = 0; k < 16; k++) {
                FloatVector out = FloatVector.fromArray(SPECIES, s, k * VL).add(b);
                (relu ? out.max(0f) : out).intoArray(s, k * VL);
            }
            // Tile-major at e ([VL][16], each tile's 4x4 outputs row by row), so that a whole tile stores
            // four 4-float rows instead of 16 floats picked out of 16 vectors.
            transposeToTiles(s, e);
            for (int lane = 0; lane < lanes; lane++) {
                int tile = t0 + lane;
                int dst = chunkStart + outputAt[tile];
                int from = e + 16 * lane;
                if (outputRows[tile] == 4 && outputCols[tile] == 4) {
                    for (int r = 0; r < 4; r++) {
                        FloatVector.fromArray(ROW, s, from + 4 * r).intoArray(y, dst + r * width);
                    }
                } else {
                    for (int r = 0; r < outputRows[tile]; r++) {
                        for (int col = 0; col < outputCols[tile]; col++) {
                            y[dst + r * width + col] = s[from + 4 * r + col];
                        }
                    }
                }
            }
        }
    }

    /** {@code s[to + 16 * lane + k] = s[k * VL + lane]} for the 16 outputs k of the VL tiles, by 8x8 blocks. */
    private static void transposeToTiles(float[] s, int to) {
        if (VL % Transpose8x8.SIZE != 0) {
            for (int k = 0; k < 16; k++) {
                for (int lane = 0; lane < VL; lane++) {
                    s[to + 16 * lane + k] = s[k * VL + lane];
                }
            }
            return;
        }
        for (int lanes = 0; lanes < VL; lanes += Transpose8x8.SIZE) {
            for (int k = 0; k < 16; k += Transpose8x8.SIZE) {
                Transpose8x8.transpose(s, k * VL + lanes, VL, Transpose8x8.SIZE, s, to + 16 * lanes + k, 16);
            }
        }
    }

    /**
     * A^T applied to 6 vectors {@code src[from + k * step]} into 4 vectors {@code dst[to + k * dstStep]}.
     * Lanes past the chunk's tiles read the next filter's products or the plane padding, and are not stored.
     */
    private static void outputRows(float[] src, int from, int step, float[] dst, int to, int dstStep) {
        FloatVector m0 = FloatVector.fromArray(SPECIES, src, from);
        FloatVector m1 = FloatVector.fromArray(SPECIES, src, from + step);
        FloatVector m2 = FloatVector.fromArray(SPECIES, src, from + 2 * step);
        FloatVector m3 = FloatVector.fromArray(SPECIES, src, from + 3 * step);
        FloatVector m4 = FloatVector.fromArray(SPECIES, src, from + 4 * step);
        FloatVector m5 = FloatVector.fromArray(SPECIES, src, from + 5 * step);
        FloatVector sum12 = m1.add(m2);
        FloatVector diff12 = m1.sub(m2);
        FloatVector sum34 = m3.add(m4);
        FloatVector diff34 = m3.sub(m4);
        m0.add(sum12).add(sum34).intoArray(dst, to);
        diff12.add(diff34.mul(2f)).intoArray(dst, to + dstStep);
        sum12.add(sum34.mul(4f)).intoArray(dst, to + 2 * dstStep);
        diff12.add(diff34.mul(8f)).add(m5).intoArray(dst, to + 3 * dstStep);
    }

    // ------------------------------------------------------------------ weight gradient

    /**
     * {@code Z = A g A^T} for every 4x4 tile g of filter f's gradient in the chunk's images of gy
     * {@code [N, F, H, W]} (zero past an edge) into {@code m[xi * plane + f * tiles + tile]}; A is
     * A^T above transposed, so each column of 4 becomes 6: {@code g0, g0+g1+g2+g3, g0-g1+g2-g3,
     * g0+2g1+4g2+8g3, g0-2g1+4g2-8g3, g3}.
     */
    private void transformGradient(int f) {
        float[] s = scratch(XI * VL + 24 * VL);
        int g = XI * VL;
        int stride = plane(filters * tiles);
        int chunkStart = (first * filters + f) * height * width;
        for (int t0 = 0; t0 < tiles; t0 += VL) {
            int lanes = Math.min(VL, tiles - t0);
            for (int lane = 0; lane < VL; lane++) {
                int tile = t0 + lane;
                int rows = lane < lanes ? outputRows[tile] : 0;
                int cols = lane < lanes ? outputCols[tile] : 0;
                int src = lane < lanes ? chunkStart + outputAt[tile] : 0;
                for (int r = 0; r < 4; r++) {
                    for (int col = 0; col < 4; col++) {
                        s[g + (4 * r + col) * VL + lane] = r < rows && col < cols ? y[src + r * width + col] : 0f;
                    }
                }
            }
            // A g down each of the 4 columns ([6][4][VL] in s), then (A g) A^T along each of the 6 rows.
            for (int col = 0; col < 4; col++) {
                gradientRows(s, g + col * VL, 4 * VL, s, col * VL, 4 * VL);
            }
            int out = f * tiles + t0;
            for (int i = 0; i < 6; i++) {
                if (lanes == VL) {
                    gradientRows(s, 4 * i * VL, VL, m, 6 * i * stride + out, stride);
                } else {
                    gradientRows(s, 4 * i * VL, VL, s, g, VL);
                    for (int j = 0; j < 6; j++) {
                        System.arraycopy(s, g + j * VL, m, (6 * i + j) * stride + out, lanes);
                    }
                }
            }
        }
    }

    /** A applied to 4 vectors {@code src[from + k * step]} into 6 vectors {@code dst[to + k * dstStep]}. */
    private static void gradientRows(float[] src, int from, int step, float[] dst, int to, int dstStep) {
        FloatVector g0 = FloatVector.fromArray(SPECIES, src, from);
        FloatVector g1 = FloatVector.fromArray(SPECIES, src, from + step);
        FloatVector g2 = FloatVector.fromArray(SPECIES, src, from + 2 * step);
        FloatVector g3 = FloatVector.fromArray(SPECIES, src, from + 3 * step);
        FloatVector even = g0.add(g2);
        FloatVector odd = g1.add(g3);
        FloatVector even4 = g0.add(g2.mul(4f));
        FloatVector odd4 = g1.mul(2f).add(g3.mul(8f));
        g0.intoArray(dst, to);
        even.add(odd).intoArray(dst, to + dstStep);
        even.sub(odd).intoArray(dst, to + 2 * dstStep);
        even4.add(odd4).intoArray(dst, to + 3 * dstStep);
        even4.sub(odd4).intoArray(dst, to + 4 * dstStep);
        g3.intoArray(dst, to + 5 * dstStep);
    }

    /** The weight gradient of filter-channel pairs {@code block * FILTER_BLOCK ..}, VL at a time. */
    private void weightGradientBlock(int block) {
        int pairs = filters * channels;
        float[] s = scratch(27 * VL);
        for (int q = block * FILTER_BLOCK; q < Math.min(pairs, (block + 1) * FILTER_BLOCK); q += VL) {
            weightGradient(q, pairs, plane(pairs), s);
        }
    }

    /**
     * {@code gw = G^T W G} for pairs {@code q .. q+VL-1} from the sums {@code u[xi * stride + q]}, one
     * pair per lane (lanes past the last pair read the plane padding and are not stored): G^T down
     * each of the 6 columns into scratch {@code [3][6][VL]}, then along each of the 3 rows to
     * {@code [3][3][VL]}, scattered to the pairs' 9 taps.
     */
    private void weightGradient(int q, int pairs, int stride, float[] s) {
        int lanes = Math.min(VL, pairs - q);
        int rows = 9 * VL;
        for (int j = 0; j < 6; j++) {
            timesGTransposed(u, j * stride + q, 6 * stride, s, rows + j * VL, 6 * VL);
        }
        for (int k = 0; k < 3; k++) {
            timesGTransposed(s, rows + 6 * k * VL, VL, s, 3 * k * VL, VL);
        }
        for (int lane = 0; lane < lanes; lane++) {
            for (int k = 0; k < 9; k++) {
                w[9 * (q + lane) + k] = s[k * VL + lane];
            }
        }
    }

    /**
     * G^T times the column of 6 vectors {@code src[from + k * srcStep]} into 3 vectors
     * {@code dst[to + k * step]}; G^T is
     * {@code [[1/4,-1/6,-1/6,1/24,1/24,0],[0,-1/6,1/6,1/12,-1/12,0],[0,-1/6,-1/6,1/6,1/6,1]]}.
     */
    private static void timesGTransposed(float[] src, int from, int srcStep, float[] dst, int to, int step) {
        FloatVector w0 = FloatVector.fromArray(SPECIES, src, from);
        FloatVector w1 = FloatVector.fromArray(SPECIES, src, from + srcStep);
        FloatVector w2 = FloatVector.fromArray(SPECIES, src, from + 2 * srcStep);
        FloatVector w3 = FloatVector.fromArray(SPECIES, src, from + 3 * srcStep);
        FloatVector w4 = FloatVector.fromArray(SPECIES, src, from + 4 * srcStep);
        FloatVector w5 = FloatVector.fromArray(SPECIES, src, from + 5 * srcStep);
        FloatVector sum12 = w1.add(w2);
        FloatVector sum34 = w3.add(w4);
        w0.mul(0.25f).sub(sum12.mul(1f / 6)).add(sum34.mul(1f / 24)).intoArray(dst, to);
        w3.sub(w4).mul(1f / 12).sub(w1.sub(w2).mul(1f / 6)).intoArray(dst, to + step);
        sum34.sub(sum12).mul(1f / 6).add(w5).intoArray(dst, to + 2 * step);
    }
}
