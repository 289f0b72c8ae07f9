/* The NEON path of the matrix products (aarch64: 4 float lanes, 32 vector
 * registers). Built on aarch64 only; Advanced SIMD needs no compiler flag there.
 *
 * The same structure as gemm_avx512.c and gemm_avx2.c, which explain the tiles
 * and why they keep the contract of gemm.h: every output is one vfmaq_f32
 * (fused multiply-add, one rounding, the same operation as fmaf) chain over the
 * summed index p in increasing order, starting from 0 or from C; the vectors
 * run across outputs only (the columns j of C in the row tiles, the rows i of C
 * in the column tiles), and a chunk of KC values of p continues the chain
 * through C, which holds the partial sum as the float it is either way.
 *
 *   row tile    MR rows x NV vectors of C; per p, NV vectors of B's row p and
 *               one broadcast (ld1r) of a(i, p) per row. 32 registers hold 24
 *               accumulators, up to 3 B vectors and the broadcast.
 *   column tile 1-2 vectors of C's rows x up to 12 columns (tn, n <= 12);
 *               per p, vectors of A's row p and one broadcast of b(p, j) per
 *               column.
 *
 * NEON has no masked loads or stores, so where a block ends inside a vector
 * the tiles never read past it: B is then read from a zero-padded copy (the
 * AVX2 path's masked B reads become copies), the rows of a partial column
 * tile from a zero-padded copy of A, and C's partial vectors go through a small
 * buffer outside the loop over p. The choice of when to copy B in full follows
 * the AVX2 path's measurements (copies pay from PACK_MIN_ROWS rows of C on);
 * it changes the speed only, never a bit. */
#include "gemm_paths.h"
#include "neon_part.h"

#include <arm_neon.h>
#include <stddef.h>

#define W 4
#define INLINE static inline __attribute__((always_inline))

/* A KC x 3W chunk of B (12 KiB at KC = 256) stays in L1 while the row tiles of
 * an MC x KC block of A stream past it. */
enum { KC = 256, MC = 128, COL_MAXN = 12, PANEL = 3 * W, PACK_MIN_ROWS = 48 };

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

/* ---------------------------------------------------------------------------
 * Row tiles: c(i, j) for i < mr and j < (nv - 1) * W + last (1 <= last <= W),
 * where a(i, p) = a[i * sar + p * sap] and b(p, j) = b[p * sbp + j]. B holds
 * whole vectors (nv * W floats per p: a copy is zero-padded); C is read and
 * written only within its nc columns, outside the loop over p. */

INLINE void row_tile(const int mr, const int nv, size_t last, size_t k, const float *a,
                     size_t sar, size_t sap, const float *b, size_t sbp, float *c, size_t ldc,
                     int from_c)
{
    float32x4_t acc[16][3];
#pragma GCC unroll 16
    for (int r = 0; r < mr; r++)
#pragma GCC unroll 3
        for (int v = 0; v < nv; v++) {
            const float *cp = c + (size_t)r * ldc + (size_t)v * W;
            if (!from_c)
                acc[r][v] = vdupq_n_f32(0.0f);
            else if (v == nv - 1 && last < W)
                acc[r][v] = load_part(cp, last);
            else
                acc[r][v] = vld1q_f32(cp);
        }
    for (size_t p = 0; p < k; p++) {
        float32x4_t bv[3];
#pragma GCC unroll 3
        for (int v = 0; v < nv; v++)
            bv[v] = vld1q_f32(b + v * W);
#pragma GCC unroll 16
        for (int r = 0; r < mr; r++) {
            float32x4_t av = vld1q_dup_f32(a + (size_t)r * sar);
#pragma GCC unroll 3
            for (int v = 0; v < nv; v++)
                acc[r][v] = vfmaq_f32(acc[r][v], av, bv[v]);
        }
        a += sap;
        b += sbp;
    }
#pragma GCC unroll 16
    for (int r = 0; r < mr; r++)
#pragma GCC unroll 3
        for (int v = 0; v < nv; v++) {
            float *cp = c + (size_t)r * ldc + (size_t)v * W;
            if (v == nv - 1 && last < W)
                store_part(cp, last, acc[r][v]);
            else
                vst1q_f32(cp, acc[r][v]);
        }
}

typedef void RowFn(size_t last, size_t k, const float *a, size_t sar, size_t sap,
                   const float *b, size_t sbp, float *c, size_t ldc, int from_c);

#define ROW_FN(mr, nv)                                                                    \
    static void row_##mr##x##nv(size_t last, size_t k, const float *a, size_t sar,       \
                                size_t sap, const float *b, size_t sbp, float *c,        \
                                size_t ldc, int from_c)                                  \
    {                                                                                     \
        row_tile(mr, nv, last, k, a, sar, sap, b, sbp, c, ldc, from_c);                  \
    }
ROW_FN(8, 3)
ROW_FN(4, 3)
ROW_FN(2, 3)
ROW_FN(1, 3)
ROW_FN(12, 2)
ROW_FN(8, 2)
ROW_FN(4, 2)
ROW_FN(2, 2)
ROW_FN(1, 2)
ROW_FN(16, 1)
ROW_FN(8, 1)
ROW_FN(4, 1)
ROW_FN(2, 1)
ROW_FN(1, 1)

/* Per width nv (index nv - 1): the main tile, 24 accumulators or, for a single
 * vector, 16 rows (enough independent chains to hide the FMA latency); then
 * smaller tiles, largest first, for the remaining rows. */
static const struct {
    size_t mr;
    RowFn *main;
    size_t rest_mr[4];
    RowFn *rest[4];
} ROW_TILES[3] = {
    {16, row_16x1, {8, 4, 2, 1}, {row_8x1, row_4x1, row_2x1, row_1x1}},
    {12, row_12x2, {8, 4, 2, 1}, {row_8x2, row_4x2, row_2x2, row_1x2}},
    {8, row_8x3, {4, 2, 1, 1}, {row_4x3, row_2x3, row_1x3, row_1x3}},
};

/* All m rows of one column block of nv vectors. */
static void row_block(size_t m, int nv, size_t last, size_t k, const float *a, size_t sar,
                      size_t sap, const float *b, size_t sbp, float *c, size_t ldc, int from_c)
{
    size_t i = 0;
    for (; i + ROW_TILES[nv - 1].mr <= m; i += ROW_TILES[nv - 1].mr)
        ROW_TILES[nv - 1].main(last, k, a + i * sar, sar, sap, b, sbp, c + i * ldc, ldc, from_c);
    for (int t = 0; t < 4; t++)
        for (size_t rows = ROW_TILES[nv - 1].rest_mr[t]; i + rows <= m; i += rows)
            ROW_TILES[nv - 1].rest[t](last, k, a + i * sar, sar, sap, b, sbp, c + i * ldc, ldc,
                                      from_c);
}

/* Widths of the column blocks: threes, but 4 remaining vectors as 2 + 2 rather
 * than 3 + 1 (a one-vector tile is the least efficient). */
static int block_vectors(size_t n, size_t j)
{
    size_t left = (n - j + W - 1) / W;
    return left >= 5 || left == 3 ? 3 : left == 4 ? 2 : (int)left;
}

/* Copies the kc x nc chunk b(p, j) = b[p * ldb + j] into panel rows of PANEL
 * floats, zero-padded to whole vectors. */
static void pack_rows(size_t nc, size_t kc, const float *b, size_t ldb, float *panel)
{
    size_t whole = nc / W * W;
    for (size_t p = 0; p < kc; p++) {
        for (size_t j = 0; j < whole; j += W)
            vst1q_f32(panel + p * PANEL + j, vld1q_f32(b + p * ldb + j));
        if (whole < nc)
            vst1q_f32(panel + p * PANEL + whole, load_part(b + p * ldb + whole, nc - whole));
    }
}

/* Copies the kc x nc chunk b(p, j) = b[j * ldb + p] (nt: down B's columns) into
 * panel rows, transposing 4 x 4 at a time. */
static void pack_transposed(size_t nc, size_t kc, const float *b, size_t ldb, float *panel);

/* How the row tiles read B: in place, or from a copy of each KC x 3W chunk, or
 * from a transposed copy (nt). */
typedef enum { B_IN_PLACE, B_COPY_ROWS, B_COPY_COLUMNS } BRead;

/* C (m x n) [+]= sum_p a(i, p) b(p, j) where b(p, j) = b[p * ldb + j] or, for
 * B_COPY_COLUMNS, b[j * ldb + p]; k > 0. The panel is 12 KiB on the stack. */
static void row_gemm(size_t m, size_t n, size_t k, const float *a, size_t sar, size_t sap,
                     const float *b, size_t ldb, BRead how, float *c, size_t ldc,
                     int accumulate)
{
    float panel[KC * PANEL] __attribute__((aligned(16)));
    for (size_t i0 = 0; i0 < m; i0 += MC) {
        size_t mc = min_size(MC, m - i0);
        for (size_t j0 = 0; j0 < n;) {
            int nv = block_vectors(n, j0);
            size_t nc = min_size((size_t)nv * W, n - j0);
            /* a block ending inside a vector is always read from a copy */
            int pack = how == B_COPY_COLUMNS || nc % W != 0 ||
                       (how == B_COPY_ROWS && mc >= PACK_MIN_ROWS);
            for (size_t p0 = 0; p0 < k; p0 += KC) {
                size_t kc = min_size(KC, k - p0);
                const float *bp = b + p0 * ldb + j0;
                size_t sbp = ldb;
                if (how == B_COPY_COLUMNS)
                    pack_transposed(nc, kc, b + j0 * ldb + p0, ldb, panel);
                else if (pack)
                    pack_rows(nc, kc, bp, ldb, panel);
                if (pack) {
                    bp = panel;
                    sbp = PANEL;
                }
                row_block(mc, nv, nc - (size_t)(nv - 1) * W, kc, a + i0 * sar + p0 * sap, sar,
                          sap, bp, sbp, c + i0 * ldc + j0, ldc, accumulate || p0 > 0);
            }
            j0 += nc;
        }
    }
}

/* k == 0: every chain is just its start. */
static void chain_starts(size_t m, size_t n, float *c, size_t ldc, int accumulate)
{
    if (accumulate)
        return;
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++)
            c[i * ldc + j] = 0.0f;
}

/* ---------------------------------------------------------------------------
 * 4 x 4 transpose in registers: x[r] lane q becomes x[q] lane r. */

INLINE void transpose4(float32x4_t x[4])
{
    float32x4_t t0 = vtrn1q_f32(x[0], x[1]), t1 = vtrn2q_f32(x[0], x[1]);
    float32x4_t t2 = vtrn1q_f32(x[2], x[3]), t3 = vtrn2q_f32(x[2], x[3]);
    /* t0 = (00 10 02 12), t1 = (01 11 03 13), t2 = (20 30 22 32), t3 = (21 31 23 33) */
    x[0] = vreinterpretq_f32_f64(vtrn1q_f64(vreinterpretq_f64_f32(t0), vreinterpretq_f64_f32(t2)));
    x[1] = vreinterpretq_f32_f64(vtrn1q_f64(vreinterpretq_f64_f32(t1), vreinterpretq_f64_f32(t3)));
    x[2] = vreinterpretq_f32_f64(vtrn2q_f64(vreinterpretq_f64_f32(t0), vreinterpretq_f64_f32(t2)));
    x[3] = vreinterpretq_f32_f64(vtrn2q_f64(vreinterpretq_f64_f32(t1), vreinterpretq_f64_f32(t3)));
}

/* ---------------------------------------------------------------------------
 * Column tiles: c(i, j) for i < rows (at most nv * W), j < nc, where
 * a(i, p) = a[p * sap + i] holds nv whole vectors per p (a partial tile reads a
 * zero-padded copy) and b(p, j) = b[p * sbp + j * sbc]. acc[v][j] lane l holds
 * c(v * W + l, j); the tile goes to and from C in 4 x 4 transposes, whole
 * where C has the room and through a buffer at its edges. */

INLINE void col_tile(const int nv, const int nc, size_t rows, size_t k, const float *a,
                     size_t sap, const float *b, size_t sbp, size_t sbc, float *c, size_t ldc,
                     int from_c)
{
    float32x4_t acc[2][COL_MAXN];
#pragma GCC unroll 2
    for (int v = 0; v < nv; v++)
#pragma GCC unroll 3
        for (int g = 0; g * W < nc; g++) {
            float32x4_t x[4];
            size_t cols = min_size(W, (size_t)(nc - g * W));
#pragma GCC unroll 4
            for (int r = 0; r < 4; r++) {
                size_t i = (size_t)v * W + (size_t)r;
                const float *cp = c + i * ldc + (size_t)g * W;
                x[r] = !from_c || i >= rows ? vdupq_n_f32(0.0f)
                       : cols < W           ? load_part(cp, cols)
                                            : vld1q_f32(cp);
            }
            transpose4(x);
#pragma GCC unroll 4
            for (int q = 0; q < 4; q++)
                if (g * W + q < nc)
                    acc[v][g * W + q] = x[q];
        }
    for (size_t p = 0; p < k; p++) {
        float32x4_t av[2];
#pragma GCC unroll 2
        for (int v = 0; v < nv; v++)
            av[v] = vld1q_f32(a + v * W);
#pragma GCC unroll 12
        for (int j = 0; j < nc; j++) {
            float32x4_t bj = vld1q_dup_f32(b + (size_t)j * sbc);
#pragma GCC unroll 2
            for (int v = 0; v < nv; v++)
                acc[v][j] = vfmaq_f32(acc[v][j], av[v], bj);
        }
        a += sap;
        b += sbp;
    }
#pragma GCC unroll 2
    for (int v = 0; v < nv; v++)
#pragma GCC unroll 3
        for (int g = 0; g * W < nc; g++) {
            float32x4_t x[4];
            size_t cols = min_size(W, (size_t)(nc - g * W));
#pragma GCC unroll 4
            for (int q = 0; q < 4; q++)
                x[q] = g * W + q < nc ? acc[v][g * W + q] : vdupq_n_f32(0.0f);
            transpose4(x);
#pragma GCC unroll 4
            for (int r = 0; r < 4; r++) {
                size_t i = (size_t)v * W + (size_t)r;
                float *cp = c + i * ldc + (size_t)g * W;
                if (i >= rows)
                    continue;
                if (cols < W)
                    store_part(cp, cols, x[r]);
                else
                    vst1q_f32(cp, x[r]);
            }
        }
}

typedef void ColFn(size_t rows, size_t k, const float *a, size_t sap, const float *b,
                   size_t sbp, size_t sbc, float *c, size_t ldc, int from_c);

#define COL_FN(nv, nc)                                                                     \
    static void col_##nv##x##nc(size_t rows, size_t k, const float *a, size_t sap,        \
                                const float *b, size_t sbp, size_t sbc, float *c,         \
                                size_t ldc, int from_c)                                   \
    {                                                                                      \
        col_tile(nv, nc, rows, k, a, sap, b, sbp, sbc, c, ldc, from_c);                   \
    }
#define COL_FNS(nv)                                                                        \
    COL_FN(nv, 1)                                                                          \
    COL_FN(nv, 2)                                                                          \
    COL_FN(nv, 3)                                                                          \
    COL_FN(nv, 4)                                                                          \
    COL_FN(nv, 5)                                                                          \
    COL_FN(nv, 6)                                                                          \
    COL_FN(nv, 7)                                                                          \
    COL_FN(nv, 8)                                                                          \
    COL_FN(nv, 9)                                                                          \
    COL_FN(nv, 10)                                                                         \
    COL_FN(nv, 11)                                                                         \
    COL_FN(nv, 12)
COL_FNS(1)
COL_FNS(2)

static ColFn *const COL_TILES[2][COL_MAXN] = {
    {col_1x1, col_1x2, col_1x3, col_1x4, col_1x5, col_1x6, col_1x7, col_1x8, col_1x9,
     col_1x10, col_1x11, col_1x12},
    {col_2x1, col_2x2, col_2x3, col_2x4, col_2x5, col_2x6, col_2x7, col_2x8, col_2x9,
     col_2x10, col_2x11, col_2x12},
};

/* C (m x n) [+]= sum_p a(i, p) b(p, j) with a(i, p) = a[p * lda + i] and
 * b(p, j) = b[p * ldb + j]; n <= COL_MAXN, k > 0. The rows of a tile that
 * ends inside a vector are copied, zero-padded, so that no load passes A's end
 * (8 KiB on the stack). */
static void col_gemm(size_t m, size_t n, size_t k, const float *a, size_t lda, const float *b,
                     size_t ldb, float *c, size_t ldc, int accumulate)
{
    float apanel[KC * 2 * W] __attribute__((aligned(16)));
    for (size_t i0 = 0; i0 < m; i0 += 2 * W) {
        size_t rows = min_size(2 * W, m - i0);
        for (size_t p0 = 0; p0 < k; p0 += KC) {
            size_t kc = min_size(KC, k - p0);
            const float *ap = a + p0 * lda + i0;
            size_t sap = lda;
            if (rows % W != 0) {
                for (size_t p = 0; p < kc; p++)
                    for (size_t l = 0; l < 2 * W; l++)
                        apanel[p * 2 * W + l] = l < rows ? ap[p * lda + l] : 0.0f;
                ap = apanel;
                sap = 2 * W;
            }
            COL_TILES[rows > W][n - 1](rows, kc, ap, sap, b + p0 * ldb, ldb, 1, c + i0 * ldc,
                                       ldc, accumulate || p0 > 0);
        }
    }
}

/* ---------------------------------------------------------------------------
 * Entry points. */

void gemm_nn_neon(size_t m, size_t n, size_t k, const float *a, size_t lda, const float *b,
                  size_t ldb, float *c, size_t ldc, int accumulate)
{
    if (k == 0 || m == 0 || n == 0)
        chain_starts(m, n, c, ldc, accumulate);
    else
        row_gemm(m, n, k, a, lda, 1, b, ldb, B_COPY_ROWS, c, ldc, accumulate);
}

void gemm_tn_neon(size_t m, size_t n, size_t k, const float *a, size_t lda, const float *b,
                  size_t ldb, float *c, size_t ldc, int accumulate)
{
    if (k == 0 || m == 0 || n == 0)
        chain_starts(m, n, c, ldc, accumulate);
    else if (n <= COL_MAXN)
        col_gemm(m, n, k, a, lda, b, ldb, c, ldc, accumulate);
    else
        row_gemm(m, n, k, a, 1, lda, b, ldb, B_COPY_ROWS, c, ldc, accumulate);
}

static void pack_transposed(size_t nc, size_t kc, const float *b, size_t ldb, float *panel)
{
    for (size_t j0 = 0; j0 < nc; j0 += W) {
        size_t rows = min_size(W, nc - j0);
        for (size_t p0 = 0; p0 < kc; p0 += W) {
            size_t cols = min_size(W, kc - p0);
            float32x4_t x[4];
            for (size_t r = 0; r < 4; r++) {
                const float *bp = b + (j0 + r) * ldb + p0;
                x[r] = r >= rows  ? vdupq_n_f32(0.0f)
                       : cols < W ? load_part(bp, cols)
                                  : vld1q_f32(bp);
            }
            transpose4(x);
            for (size_t q = 0; q < cols; q++)
                vst1q_f32(panel + (p0 + q) * PANEL + j0, x[q]);
        }
    }
}

void gemm_nt_neon(size_t m, size_t n, size_t k, const float *a, size_t lda, const float *b,
                  size_t ldb, float *c, size_t ldc, int accumulate)
{
    if (k == 0 || m == 0 || n == 0)
        chain_starts(m, n, c, ldc, accumulate);
    else
        row_gemm(m, n, k, a, lda, 1, b, ldb, B_COPY_COLUMNS, c, ldc, accumulate);
}

/* ---------------------------------------------------------------------------
 * Peak: 16 independent chains (the FMA latency times the FMA pipes, with room). */

double gemm_peak_neon(long iters, float *sink)
{
    float32x4_t acc[16];
    const float32x4_t x = vdupq_n_f32(0.999f), y = vdupq_n_f32(0.001f);
#pragma GCC unroll 16
    for (int r = 0; r < 16; r++)
        acc[r] = vdupq_n_f32((float)r);
    for (long it = 0; it < iters; it++)
#pragma GCC unroll 16
        for (int r = 0; r < 16; r++)
            acc[r] = vfmaq_f32(y, acc[r], x);
    float32x4_t s = acc[0];
#pragma GCC unroll 16
    for (int r = 1; r < 16; r++)
        s = vaddq_f32(s, acc[r]);
    *sink = vaddvq_f32(s);
    return (double)iters * 16.0 * W * 2.0;
}
