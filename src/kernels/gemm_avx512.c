/* The AVX-512 path of the matrix products (16 float lanes, 32 vector registers).
 *
 * Every output keeps the contract of gemm.h: one fused multiply-add chain over
 * the summed index p in increasing order, starting from 0 or from C. The
 * vectors therefore run across outputs only: across the columns j of C in the
 * "row" tiles, across the rows i of C in the "column" tiles. Splitting p into
 * chunks of KC is allowed because the partial chain goes through C unrounded
 * (it is a float either way) and the next chunk continues it in order.
 *
 *   row tile    MR rows x NV vectors of C; per p, NV vectors of B's row p and
 *               one broadcast of a(i, p) per row. Used by nn (B in place), tn
 *               (on a copy of B's chunk) and nt (on a transposed copy).
 *   column tile 1-2 vectors of C's rows x up to 12 columns; per p, vectors of
 *               A's row p (tn: a(i, p) = a[p * lda + i] is contiguous in i) and
 *               one broadcast of b(p, j) per column. Used by tn when n is so
 *               narrow (n <= 12) that row tiles would leave most lanes idle;
 *               the tile is transposed in registers on its way to and from C. */
#include "gemm_paths.h"

#include <immintrin.h>
#include <stddef.h>

#define W 16
#define INLINE static inline __attribute__((always_inline))

/* Blocking. A KC x 3W chunk of B (48 KiB at KC = 256) stays in L1 while every
 * row tile of an MC-row block of A (MC x KC, 128 KiB) streams past it from L2;
 * PANEL is the row length of the copies of such chunks. */
enum { KC = 256, MC = 128, COL_MAXN = 12, PANEL = 3 * W };

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

/* The first n lanes (all 16 when n >= 16). */
static __mmask16 lanes(size_t n)
{
    return n >= W ? (__mmask16)0xFFFF : (__mmask16)((1u << n) - 1u);
}

/* ---------------------------------------------------------------------------
 * Row tiles: c(i, j) for i < mr, j < (nv - 1) * W + popcount(last), where
 * a(i, p) = a[i * sar + p * sap] and b(p, j) = b[p * sbp + j]. */

INLINE void row_tile(const int mr, const int nv, __mmask16 last, size_t k, const float *a,
                     size_t sar, size_t sap, const float *b, size_t sbp, float *c,
                     size_t ldc, int from_c)
{
    __m512 acc[16][3];
#pragma GCC unroll 16
    for (int r = 0; r < mr; r++)
#pragma GCC unroll 3
        for (int v = 0; v < nv; v++) {
            const float *cp = c + (size_t)r * ldc + (size_t)v * W;
            if (!from_c)
                acc[r][v] = _mm512_setzero_ps();
            else if (v == nv - 1)
                acc[r][v] = _mm512_maskz_loadu_ps(last, cp);
            else
                acc[r][v] = _mm512_loadu_ps(cp);
        }
    for (size_t p = 0; p < k; p++) {
        __m512 bv[3];
#pragma GCC unroll 3
        for (int v = 0; v < nv; v++)
            bv[v] = v == nv - 1 ? _mm512_maskz_loadu_ps(last, b + v * W)
                                : _mm512_loadu_ps(b + v * W);
#pragma GCC unroll 16
        for (int r = 0; r < mr; r++) {
            __m512 av = _mm512_set1_ps(a[(size_t)r * sar]);
#pragma GCC unroll 3
            for (int v = 0; v < nv; v++)
                acc[r][v] = _mm512_fmadd_ps(av, bv[v], acc[r][v]);
        }
        a += sap;
        b += sbp;
    }
#pragma GCC unroll 16
    for (int r = 0; r < mr; r++)
#pragma GCC unroll 3
        for (int v = 0; v < nv; v++) {
            float *cp = c + (size_t)r * ldc + (size_t)v * W;
            if (v == nv - 1)
                _mm512_mask_storeu_ps(cp, last, acc[r][v]);
            else
                _mm512_storeu_ps(cp, acc[r][v]);
        }
}

typedef void RowFn(__mmask16 last, size_t k, const float *a, size_t sar, size_t sap,
                   const float *b, size_t sbp, float *c, size_t ldc, int from_c);

#define ROW_FN(mr, nv)                                                                    \
    static void row_##mr##x##nv(__mmask16 last, size_t k, const float *a, size_t sar,    \
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

/* Per width nv (index nv - 1): the main tile, about 24 accumulators or, for a
 * single vector, 16 rows so that enough independent chains hide the FMA
 * latency; then smaller tiles, largest first, for the remaining rows. */
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
static void row_block(size_t m, int nv, __mmask16 last, size_t k, const float *a, size_t sar,
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
 * than 3 + 1 (a one-vector block is the least efficient tile). */
static int block_vectors(size_t n, size_t j)
{
    size_t left = (n - j + W - 1) / W;
    return left >= 5 || left == 3 ? 3 : left == 4 ? 2 : (int)left;
}

/* Copies the kc x nc chunk b(p, j) = b[p * ldb + j] into panel rows of PANEL
 * floats, so that the tiles read B as one contiguous stream. */
static void pack_rows(size_t nc, size_t kc, const float *b, size_t ldb, float *panel)
{
    for (size_t p = 0; p < kc; p++)
        for (size_t j = 0; j < nc; j += W)
            _mm512_store_ps(panel + p * PANEL + j,
                            _mm512_maskz_loadu_ps(lanes(nc - j), b + p * ldb + j));
}

/* Copies the kc x nc chunk b(p, j) = b[j * ldb + p] (nt: down B's columns) into
 * panel rows, transposing 16 x 16 at a time. */
static void pack_transposed(size_t nc, size_t kc, const float *b, size_t ldb, float *panel);

/* How the row tiles read B: in place, or from a copy of each KC x 3W chunk
 * (below PACK_MIN_ROWS rows of C a copy is not reused enough to pay for
 * itself), or from a transposed copy (nt). Measured here: copying speeds up tn
 * (k = batch, +8% at k = 16) but slows nn (-7% at m = 64: at KC = 256 the
 * in-place chunk already stays in L1, and a copy competes with A for it). */
typedef enum { B_IN_PLACE, B_COPY_ROWS, B_COPY_COLUMNS } BRead;

enum { PACK_MIN_ROWS = 48 };

/* C (m x n) [+]= sum_p a(i, p) b(p, j) where b(p, j) = b[p * ldb + j] or, for
 * B_COPY_COLUMNS, b[j * ldb + p]; k > 0. The panel is 48 KiB on the stack. */
static void row_gemm(size_t m, size_t n, size_t k, const float *a, size_t sar, size_t sap,
                     const float *b, size_t ldb, BRead how, float *c, size_t ldc,
                     int accumulate)
{
    float panel[KC * PANEL] __attribute__((aligned(64)));
    for (size_t i0 = 0; i0 < m; i0 += MC) {
        size_t mc = min_size(MC, m - i0);
        int pack = how == B_COPY_COLUMNS || (how == B_COPY_ROWS && mc >= PACK_MIN_ROWS);
        for (size_t j0 = 0; j0 < n;) {
            int nv = block_vectors(n, j0);
            size_t nc = min_size((size_t)nv * W, n - j0);
            __mmask16 last = lanes(nc - (size_t)(nv - 1) * W);
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
                row_block(mc, nv, last, kc, a + i0 * sar + p0 * sap, sar, sap, bp, sbp,
                          c + i0 * ldc + j0, ldc, accumulate || p0 > 0);
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
 * 16 x 16 transpose in registers: x[r] lane q becomes x[q] lane r. */

INLINE void transpose16(__m512 x[16])
{
    __m512 t[16];
#pragma GCC unroll 8
    for (int i = 0; i < 8; i++) {
        t[2 * i] = _mm512_unpacklo_ps(x[2 * i], x[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_ps(x[2 * i], x[2 * i + 1]);
    }
    /* x[4i + q], 128-bit lane L: column 4L + q of rows 4i..4i+3 */
#pragma GCC unroll 4
    for (int i = 0; i < 4; i++) {
        __m512d t0 = _mm512_castps_pd(t[4 * i]), t1 = _mm512_castps_pd(t[4 * i + 1]);
        __m512d t2 = _mm512_castps_pd(t[4 * i + 2]), t3 = _mm512_castps_pd(t[4 * i + 3]);
        x[4 * i] = _mm512_castpd_ps(_mm512_unpacklo_pd(t0, t2));
        x[4 * i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(t0, t2));
        x[4 * i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(t1, t3));
        x[4 * i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(t1, t3));
    }
#pragma GCC unroll 4
    for (int q = 0; q < 4; q++) {
        t[q] = _mm512_shuffle_f32x4(x[q], x[4 + q], 0x88);
        t[q + 4] = _mm512_shuffle_f32x4(x[q], x[4 + q], 0xdd);
        t[q + 8] = _mm512_shuffle_f32x4(x[8 + q], x[12 + q], 0x88);
        t[q + 12] = _mm512_shuffle_f32x4(x[8 + q], x[12 + q], 0xdd);
    }
#pragma GCC unroll 4
    for (int q = 0; q < 4; q++) {
        x[q] = _mm512_shuffle_f32x4(t[q], t[q + 8], 0x88);
        x[q + 8] = _mm512_shuffle_f32x4(t[q], t[q + 8], 0xdd);
        x[q + 4] = _mm512_shuffle_f32x4(t[q + 4], t[q + 12], 0x88);
        x[q + 12] = _mm512_shuffle_f32x4(t[q + 4], t[q + 12], 0xdd);
    }
}

/* ---------------------------------------------------------------------------
 * Column tiles: c(i, j) for i < rows (at most nv * W), j < nc, where
 * a(i, p) = a[p * sap + i] and b(p, j) = b[p * sbp + j * sbc]. acc[v][j] lane l
 * holds c(v * W + l, j). */

INLINE void col_tile(const int nv, const int nc, size_t rows, size_t k, const float *a,
                     size_t sap, const float *b, size_t sbp, size_t sbc, float *c, size_t ldc,
                     int from_c)
{
    __m512 acc[2][COL_MAXN];
    __mmask16 last = lanes(rows - (size_t)(nv - 1) * W), cols = lanes((size_t)nc);
#pragma GCC unroll 2
    for (int v = 0; v < nv; v++) {
        __m512 x[16];
        size_t vr = v == nv - 1 ? rows - (size_t)v * W : W;
#pragma GCC unroll 16
        for (int r = 0; r < 16; r++)
            x[r] = from_c && (size_t)r < vr
                       ? _mm512_maskz_loadu_ps(cols, c + ((size_t)v * W + (size_t)r) * ldc)
                       : _mm512_setzero_ps();
        if (from_c)
            transpose16(x);
#pragma GCC unroll 12
        for (int j = 0; j < nc; j++)
            acc[v][j] = x[j];
    }
    for (size_t p = 0; p < k; p++) {
        __m512 av[2];
#pragma GCC unroll 2
        for (int v = 0; v < nv; v++)
            av[v] = v == nv - 1 ? _mm512_maskz_loadu_ps(last, a + v * W)
                                : _mm512_loadu_ps(a + v * W);
#pragma GCC unroll 12
        for (int j = 0; j < nc; j++) {
            __m512 bj = _mm512_set1_ps(b[(size_t)j * sbc]);
#pragma GCC unroll 2
            for (int v = 0; v < nv; v++)
                acc[v][j] = _mm512_fmadd_ps(av[v], bj, acc[v][j]);
        }
        a += sap;
        b += sbp;
    }
#pragma GCC unroll 2
    for (int v = 0; v < nv; v++) {
        __m512 x[16];
        size_t vr = v == nv - 1 ? rows - (size_t)v * W : W;
#pragma GCC unroll 16
        for (int r = 0; r < 16; r++)
            x[r] = r < nc ? acc[v][r] : _mm512_setzero_ps();
        transpose16(x);
#pragma GCC unroll 16
        for (int r = 0; r < 16; r++)
            if ((size_t)r < vr)
                _mm512_mask_storeu_ps(c + ((size_t)v * W + (size_t)r) * ldc, cols, x[r]);
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
 * b(p, j) = b[p * ldb + j]; n <= COL_MAXN, k > 0. */
static void col_gemm(size_t m, size_t n, size_t k, const float *a, size_t lda, const float *b,
                     size_t ldb, float *c, size_t ldc, int accumulate)
{
    for (size_t i0 = 0; i0 < m; i0 += 2 * W) {
        size_t rows = min_size(2 * W, m - i0);
        for (size_t p0 = 0; p0 < k; p0 += KC)
            COL_TILES[rows > W][n - 1](rows, min_size(KC, k - p0), a + p0 * lda + i0, lda,
                                       b + p0 * ldb, ldb, 1, c + i0 * ldc, ldc,
                                       accumulate || p0 > 0);
    }
}

/* ---------------------------------------------------------------------------
 * Entry points. */

void gemm_nn_avx512(size_t m, size_t n, size_t k, const float *a, size_t lda, const float *b,
                    size_t ldb, float *c, size_t ldc, int accumulate)
{
    if (k == 0 || m == 0 || n == 0)
        chain_starts(m, n, c, ldc, accumulate);
    else
        row_gemm(m, n, k, a, lda, 1, b, ldb, B_IN_PLACE, c, ldc, accumulate);
}

void gemm_tn_avx512(size_t m, size_t n, size_t k, const float *a, size_t lda, const float *b,
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
            __m512 x[16];
            for (size_t r = 0; r < 16; r++)
                x[r] = r < rows ? _mm512_maskz_loadu_ps(lanes(cols), b + (j0 + r) * ldb + p0)
                                : _mm512_setzero_ps();
            transpose16(x);
            for (size_t q = 0; q < cols; q++)
                _mm512_store_ps(panel + (p0 + q) * PANEL + j0, x[q]);
        }
    }
}

void gemm_nt_avx512(size_t m, size_t n, size_t k, const float *a, size_t lda, const float *b,
                    size_t ldb, float *c, size_t ldc, int accumulate)
{
    if (k == 0 || m == 0 || n == 0)
        chain_starts(m, n, c, ldc, accumulate);
    else
        row_gemm(m, n, k, a, lda, 1, b, ldb, B_COPY_COLUMNS, c, ldc, accumulate);
}

/* ---------------------------------------------------------------------------
 * Peak: 16 independent chains (the FMA latency times the FMA pipes, with room). */

double gemm_peak_avx512(long iters, float *sink)
{
    __m512 acc[16];
    const __m512 x = _mm512_set1_ps(0.999f), y = _mm512_set1_ps(0.001f);
#pragma GCC unroll 16
    for (int r = 0; r < 16; r++)
        acc[r] = _mm512_set1_ps((float)r);
    for (long it = 0; it < iters; it++)
#pragma GCC unroll 16
        for (int r = 0; r < 16; r++)
            acc[r] = _mm512_fmadd_ps(acc[r], x, y);
    __m512 s = acc[0];
#pragma GCC unroll 16
    for (int r = 1; r < 16; r++)
        s = _mm512_add_ps(s, acc[r]);
    *sink = _mm512_reduce_add_ps(s);
    return (double)iters * 16.0 * W * 2.0;
}
