/* The AVX2 path of the matrix products (8 float lanes, 16 vector registers).
 *
 * The same structure as gemm_avx512.c, which explains the tiles and why they
 * keep the contract of gemm.h; here the tiles are smaller (12 accumulators plus
 * the B vectors and one broadcast fill the 16 registers) and tails use vmaskmov
 * loads and stores instead of mask registers. A mask kept in the hot loop would
 * need a 17th register, so the tiles read B unmasked from a zero-padded copy
 * whenever they can, and mask only C, outside the loop over p, and only where
 * a block ends inside a vector: a vmaskmov store is microcoded on AMD's cores
 * (on a Zen 3 core this and the even chunks of p below took the products of a
 * training step at batch 100 from 80% to 86% of the peak). */
#include "gemm_paths.h"

#include <immintrin.h>
#include <stddef.h>

#define W 8
#define INLINE static inline __attribute__((always_inline))

/* A KC x 3W chunk of B (24 KiB at KC = 256) stays in L1 while the row tiles of
 * an MC x KC block of A stream past it. */
enum { KC = 256, MC = 128, COL_MAXN = 12, PANEL = 3 * W };

/* How many rows of B ahead the copies ask for: a forward pass copies the whole
 * weight matrix, which comes from L3 every step (with the batch and the weight
 * gradient it does not fit in L2), row after row 512 or 2048 bytes apart. */
enum { PREFETCH_ROWS = 8 };

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

/* A vmaskmov mask of the first n lanes (all 8 when n >= 8). */
static __m256i lanes(size_t n)
{
    int k = n >= W ? W : (int)n;
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(k), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

/* ---------------------------------------------------------------------------
 * Row tiles: c(i, j) for i < mr and j < nv * W, the last vector limited to the
 * lanes set in `last` in the `tail` tiles, where a(i, p) = a[i * sar + p * sap]
 * and b(p, j) = b[p * sbp + j]. C's last vector is accessed under the mask in
 * the tail tiles (outside the loop over p); B only in the masked tiles, used for
 * a block that ends inside a vector of an unpacked B, because a mask in the hot
 * loop needs a 17th register. */

INLINE void row_tile_filling(const int mr, const int nv, const int tail, const int masked,
                             float *fill, __m256i last, size_t k, const float *a, size_t sar,
                             size_t sap, const float *b, size_t sbp, float *c, size_t ldc,
                             int from_c)
{
    const float *b0 = b;
    __m256 acc[12][3];
#pragma GCC unroll 12
    for (int r = 0; r < mr; r++)
#pragma GCC unroll 3
        for (int v = 0; v < nv; v++) {
            const float *cp = c + (size_t)r * ldc + (size_t)v * W;
            if (!from_c)
                acc[r][v] = _mm256_setzero_ps();
            else if (tail && v == nv - 1)
                acc[r][v] = _mm256_maskload_ps(cp, last);
            else
                acc[r][v] = _mm256_loadu_ps(cp);
        }
    for (size_t p = 0; p < k; p++) {
        __m256 bv[3];
#pragma GCC unroll 3
        for (int v = 0; v < nv; v++)
            bv[v] = masked && v == nv - 1 ? _mm256_maskload_ps(b + v * W, last)
                                          : _mm256_loadu_ps(b + v * W);
        if (fill) {
            const float *ahead = b0 + min_size(p + PREFETCH_ROWS, k - 1) * sbp;
            _mm_prefetch((const char *)ahead, _MM_HINT_T0);
            _mm_prefetch((const char *)(ahead + nv * W - 1), _MM_HINT_T0);
#pragma GCC unroll 3
            for (int v = 0; v < nv; v++)
                _mm256_store_ps(fill + p * PANEL + v * W, bv[v]);
        }
#pragma GCC unroll 12
        for (int r = 0; r < mr; r++) {
            __m256 av = _mm256_broadcast_ss(a + (size_t)r * sar);
#pragma GCC unroll 3
            for (int v = 0; v < nv; v++)
                acc[r][v] = _mm256_fmadd_ps(av, bv[v], acc[r][v]);
        }
        a += sap;
        b += sbp;
    }
#pragma GCC unroll 12
    for (int r = 0; r < mr; r++)
#pragma GCC unroll 3
        for (int v = 0; v < nv; v++) {
            float *cp = c + (size_t)r * ldc + (size_t)v * W;
            if (tail && v == nv - 1)
                _mm256_maskstore_ps(cp, last, acc[r][v]);
            else
                _mm256_storeu_ps(cp, acc[r][v]);
        }
}

INLINE void row_tile(const int mr, const int nv, const int tail, const int masked,
                     __m256i last, size_t k, const float *a, size_t sar, size_t sap,
                     const float *b, size_t sbp, float *c, size_t ldc, int from_c)
{
    row_tile_filling(mr, nv, tail, masked, NULL, last, k, a, sar, sap, b, sbp, c, ldc, from_c);
}

typedef void RowFn(__m256i last, size_t k, const float *a, size_t sar, size_t sap,
                   const float *b, size_t sbp, float *c, size_t ldc, int from_c);

/* The main tiles of whole blocks, reading B in place and copying what they
 * read into the panel rows of PANEL floats at `fill` for the block's other
 * tiles: the copy rides on the tile's arithmetic instead of waiting for B on
 * its own (a forward pass's weights come from L3). */
typedef void FillFn(float *fill, size_t k, const float *a, size_t sar, size_t sap,
                    const float *b, size_t sbp, float *c, size_t ldc, int from_c);

#define FILL_FN(mr, nv)                                                                   \
    static void row_##mr##x##nv##f(float *fill, size_t k, const float *a, size_t sar,    \
                                   size_t sap, const float *b, size_t sbp, float *c,     \
                                   size_t ldc, int from_c)                               \
    {                                                                                     \
        row_tile_filling(mr, nv, 0, 0, fill, _mm256_setzero_si256(), k, a, sar, sap, b,  \
                         sbp, c, ldc, from_c);                                            \
    }
FILL_FN(12, 1)
FILL_FN(6, 2)
FILL_FN(4, 3)

/* [nv - 1], with the heights of ROW_TILES' main tiles */
static FillFn *const FILL_TILES[3] = {row_12x1f, row_6x2f, row_4x3f};

#define ROW_FN(mr, nv, tail, masked, name)                                                \
    static void name(__m256i last, size_t k, const float *a, size_t sar, size_t sap,      \
                     const float *b, size_t sbp, float *c, size_t ldc, int from_c)        \
    {                                                                                     \
        row_tile(mr, nv, tail, masked, last, k, a, sar, sap, b, sbp, c, ldc, from_c);    \
    }
#define ROW_FNS(tail, masked, s)                                                          \
    ROW_FN(4, 3, tail, masked, row_4x3##s)                                                \
    ROW_FN(2, 3, tail, masked, row_2x3##s)                                                \
    ROW_FN(1, 3, tail, masked, row_1x3##s)                                                \
    ROW_FN(6, 2, tail, masked, row_6x2##s)                                                \
    ROW_FN(4, 2, tail, masked, row_4x2##s)                                                \
    ROW_FN(2, 2, tail, masked, row_2x2##s)                                                \
    ROW_FN(1, 2, tail, masked, row_1x2##s)                                                \
    ROW_FN(12, 1, tail, masked, row_12x1##s)                                              \
    ROW_FN(8, 1, tail, masked, row_8x1##s)                                                \
    ROW_FN(4, 1, tail, masked, row_4x1##s)                                                \
    ROW_FN(2, 1, tail, masked, row_2x1##s)                                                \
    ROW_FN(1, 1, tail, masked, row_1x1##s)
ROW_FNS(0, 0, )
ROW_FNS(1, 0, t)
ROW_FNS(1, 1, m)

/* A main tile with 12 accumulators, then smaller tiles, largest first, for the
 * remaining rows. */
typedef struct {
    size_t mr;
    RowFn *main;
    size_t rest_mr[4];
    RowFn *rest[4];
} RowTiles;

/* [kind][nv - 1]: the kinds are TILE_WHOLE, TILE_TAIL and TILE_MASKED_B. */
static const RowTiles ROW_TILES[3][3] = {
    {
        {12, row_12x1, {8, 4, 2, 1}, {row_8x1, row_4x1, row_2x1, row_1x1}},
        {6, row_6x2, {4, 2, 1, 1}, {row_4x2, row_2x2, row_1x2, row_1x2}},
        {4, row_4x3, {2, 1, 1, 1}, {row_2x3, row_1x3, row_1x3, row_1x3}},
    },
    {
        {12, row_12x1t, {8, 4, 2, 1}, {row_8x1t, row_4x1t, row_2x1t, row_1x1t}},
        {6, row_6x2t, {4, 2, 1, 1}, {row_4x2t, row_2x2t, row_1x2t, row_1x2t}},
        {4, row_4x3t, {2, 1, 1, 1}, {row_2x3t, row_1x3t, row_1x3t, row_1x3t}},
    },
    {
        {12, row_12x1m, {8, 4, 2, 1}, {row_8x1m, row_4x1m, row_2x1m, row_1x1m}},
        {6, row_6x2m, {4, 2, 1, 1}, {row_4x2m, row_2x2m, row_1x2m, row_1x2m}},
        {4, row_4x3m, {2, 1, 1, 1}, {row_2x3m, row_1x3m, row_1x3m, row_1x3m}},
    },
};

/* All m rows of one column block. */
static void row_block(size_t m, const RowTiles *t, __m256i last, size_t k, const float *a,
                      size_t sar, size_t sap, const float *b, size_t sbp, float *c, size_t ldc,
                      int from_c)
{
    size_t i = 0;
    for (; i + t->mr <= m; i += t->mr)
        t->main(last, k, a + i * sar, sar, sap, b, sbp, c + i * ldc, ldc, from_c);
    for (int r = 0; r < 4; r++)
        for (; i + t->rest_mr[r] <= m; i += t->rest_mr[r])
            t->rest[r](last, k, a + i * sar, sar, sap, b, sbp, c + i * ldc, ldc, from_c);
}

/* Widths of the column blocks: threes, but 4 remaining vectors as 2 + 2 rather
 * than 3 + 1 (a one-vector tile is the least efficient). */
static int block_vectors(size_t n, size_t j)
{
    size_t left = (n - j + W - 1) / W;
    return left >= 5 || left == 3 ? 3 : left == 4 ? 2 : (int)left;
}

/* The length of the chunks of p: as few as KC allows, of equal length (784 =
 * 3 x 262 rather than 3 x 256 + 16: each chunk costs every tile a pass of C
 * through memory, and a short last chunk costs that for little work). */
static size_t chunk_length(size_t k)
{
    size_t chunks = (k + KC - 1) / KC;
    return (k + chunks - 1) / chunks;
}

/* Copies the kc x nc chunk b(p, j) = b[p * ldb + j] into panel rows of PANEL
 * floats, zero-padded to whole vectors, so that the tiles read B as one
 * contiguous stream: B's own rows, 512 or 2048 bytes apart at n = 128 or 512,
 * share few L1 sets. */
static void pack_rows(size_t nc, size_t kc, const float *b, size_t ldb, float *panel)
{
    /* every vector through a mask (vmaskmov loads are as fast as plain ones):
     * a loop of plain copies would become a call of memcpy per row of 1-3
     * vectors, which cost 6% of a 784-128-10 run */
    __m256i mask[PANEL / W];
    for (size_t v = 0; v < PANEL / W; v++)
        mask[v] = lanes(nc > v * W ? nc - v * W : 0);
    for (size_t p = 0; p < kc; p++) {
        const float *ahead = b + min_size(p + PREFETCH_ROWS, kc - 1) * ldb;
        _mm_prefetch((const char *)ahead, _MM_HINT_T0);
        _mm_prefetch((const char *)(ahead + nc - 1), _MM_HINT_T0);
        for (size_t j = 0; j < nc; j += W)
            _mm256_store_ps(panel + p * PANEL + j,
                            _mm256_maskload_ps(b + p * ldb + j, mask[j / W]));
    }
}

/* Copies the kc x nc chunk b(p, j) = b[j * ldb + p] (nt: down B's columns) into
 * panel rows, transposing 8 x 8 at a time. */
static void pack_transposed(size_t nc, size_t kc, const float *b, size_t ldb, float *panel);

/* How the row tiles read B: in place, or from a copy of each KC x 3W chunk,
 * or from a transposed copy (nt). With 16 registers the copy pays for nn and tn
 * alike (+10% at n = 512). A block of whole vectors is copied by its first
 * (main) tile as it goes (FILL_TILES), which costs next to nothing, so it is
 * copied whenever another tile will read it (nn 16 x 512 x 784: 68% -> 79% of
 * the peak); a block ending inside a vector is copied by pack_rows, a pass of
 * its own, from PACK_MIN_ROWS rows of C on (below, the copy is not reused
 * enough to pay for itself: -20% for nn at batch 16). */
typedef enum { B_IN_PLACE, B_COPY_ROWS, B_COPY_COLUMNS } BRead;

enum { PACK_MIN_ROWS = 48 };

/* Which row tiles a column block uses: whole vectors only; a last vector
 * limited to `last` in C (B read from a zero-padded copy); or limited in C and
 * in B (B in place). vmaskmov stores are slow (microcoded on AMD's cores), so
 * C is masked only where a block ends inside a vector. */
enum { TILE_WHOLE, TILE_TAIL, TILE_MASKED_B };

/* C (m x n) [+]= sum_p a(i, p) b(p, j) where b(p, j) = b[p * ldb + j] or, for
 * B_COPY_COLUMNS, b[j * ldb + p]; k > 0. The panel is 24 KiB on the stack. */
static void row_gemm(size_t m, size_t n, size_t k, const float *a, size_t sar, size_t sap,
                     const float *b, size_t ldb, BRead how, float *c, size_t ldc,
                     int accumulate)
{
    float panel[KC * PANEL] __attribute__((aligned(32)));
    size_t kcs = chunk_length(k);
    for (size_t i0 = 0; i0 < m; i0 += MC) {
        size_t mc = min_size(MC, m - i0);
        for (size_t j0 = 0; j0 < n;) {
            int nv = block_vectors(n, j0);
            size_t nc = min_size((size_t)nv * W, n - j0);
            int fill = how == B_COPY_ROWS && nc % W == 0 && mc >= ROW_TILES[0][nv - 1].mr;
            int pack = how == B_COPY_COLUMNS ||
                       (how == B_COPY_ROWS && (fill || mc >= PACK_MIN_ROWS));
            int kind = nc % W == 0 ? TILE_WHOLE : pack ? TILE_TAIL : TILE_MASKED_B;
            const RowTiles *t = &ROW_TILES[kind][nv - 1];
            for (size_t p0 = 0; p0 < k; p0 += kcs) {
                size_t kc = min_size(kcs, k - p0);
                const float *bp = b + p0 * ldb + j0;
                size_t sbp = ldb;
                size_t i = 0;
                if (fill) {
                    FILL_TILES[nv - 1](panel, kc, a + i0 * sar + p0 * sap, sar, sap, bp, sbp,
                                       c + i0 * ldc + j0, ldc, accumulate || p0 > 0);
                    i = t->mr;
                } else if (how == B_COPY_COLUMNS)
                    pack_transposed(nc, kc, b + j0 * ldb + p0, ldb, panel);
                else if (pack)
                    pack_rows(nc, kc, bp, ldb, panel);
                if (pack) {
                    bp = panel;
                    sbp = PANEL;
                }
                row_block(mc - i, t, lanes(nc - (size_t)(nv - 1) * W), kc,
                          a + (i0 + i) * sar + p0 * sap, sar, sap, bp, sbp,
                          c + (i0 + i) * ldc + j0, ldc, accumulate || p0 > 0);
            }
            j0 += nc;
        }
    }
}

static void chain_starts(size_t m, size_t n, float *c, size_t ldc, int accumulate)
{
    if (accumulate)
        return;
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++)
            c[i * ldc + j] = 0.0f;
}

/* ---------------------------------------------------------------------------
 * 8 x 8 transpose in registers: x[r] lane q becomes x[q] lane r. */

INLINE void transpose8(__m256 x[8])
{
    __m256 t[8], u[8];
#pragma GCC unroll 4
    for (int i = 0; i < 4; i++) {
        t[2 * i] = _mm256_unpacklo_ps(x[2 * i], x[2 * i + 1]);
        t[2 * i + 1] = _mm256_unpackhi_ps(x[2 * i], x[2 * i + 1]);
    }
    /* u[4h + q], 128-bit lane L: column 4L + q of rows 4h..4h+3 */
#pragma GCC unroll 2
    for (int h = 0; h < 2; h++) {
        u[4 * h] = _mm256_shuffle_ps(t[4 * h], t[4 * h + 2], 0x44);
        u[4 * h + 1] = _mm256_shuffle_ps(t[4 * h], t[4 * h + 2], 0xee);
        u[4 * h + 2] = _mm256_shuffle_ps(t[4 * h + 1], t[4 * h + 3], 0x44);
        u[4 * h + 3] = _mm256_shuffle_ps(t[4 * h + 1], t[4 * h + 3], 0xee);
    }
#pragma GCC unroll 4
    for (int q = 0; q < 4; q++) {
        x[q] = _mm256_permute2f128_ps(u[q], u[q + 4], 0x20);
        x[q + 4] = _mm256_permute2f128_ps(u[q], u[q + 4], 0x31);
    }
}

/* ---------------------------------------------------------------------------
 * Column tiles: c(i, j) for i < rows <= W, j < nc, where a(i, p) = a[p * sap + i]
 * and b(p, j) = b[p * sbp + j * sbc]. acc[j] lane l holds c(l, j); the tile goes
 * to and from C as (up to) two 8 x 8 transposes. */

INLINE void col_tile(const int nc, size_t rows, size_t k, const float *a, size_t sap,
                     const float *b, size_t sbp, size_t sbc, float *c, size_t ldc, int from_c)
{
    __m256 acc[COL_MAXN];
    __m256i last = lanes(rows);
#pragma GCC unroll 2
    for (int g = 0; g * W < nc; g++) {
        __m256 x[8];
        __m256i cols = lanes((size_t)(nc - g * W));
#pragma GCC unroll 8
        for (int r = 0; r < 8; r++)
            x[r] = from_c && (size_t)r < rows
                       ? _mm256_maskload_ps(c + (size_t)r * ldc + (size_t)g * W, cols)
                       : _mm256_setzero_ps();
        if (from_c)
            transpose8(x);
#pragma GCC unroll 8
        for (int q = 0; q < 8; q++)
            if (g * W + q < nc)
                acc[g * W + q] = x[q];
    }
    for (size_t p = 0; p < k; p++) {
        __m256 av = _mm256_maskload_ps(a, last);
#pragma GCC unroll 12
        for (int j = 0; j < nc; j++)
            acc[j] = _mm256_fmadd_ps(av, _mm256_broadcast_ss(b + (size_t)j * sbc), acc[j]);
        a += sap;
        b += sbp;
    }
#pragma GCC unroll 2
    for (int g = 0; g * W < nc; g++) {
        __m256 x[8];
        __m256i cols = lanes((size_t)(nc - g * W));
#pragma GCC unroll 8
        for (int q = 0; q < 8; q++)
            x[q] = g * W + q < nc ? acc[g * W + q] : _mm256_setzero_ps();
        transpose8(x);
#pragma GCC unroll 8
        for (int r = 0; r < 8; r++)
            if ((size_t)r < rows && (g + 1) * W <= nc)
                _mm256_storeu_ps(c + (size_t)r * ldc + (size_t)g * W, x[r]);
            else if ((size_t)r < rows)
                _mm256_maskstore_ps(c + (size_t)r * ldc + (size_t)g * W, cols, x[r]);
    }
}

typedef void ColFn(size_t rows, size_t k, const float *a, size_t sap, const float *b,
                   size_t sbp, size_t sbc, float *c, size_t ldc, int from_c);

#define COL_FN(nc)                                                                         \
    static void col_##nc(size_t rows, size_t k, const float *a, size_t sap, const float *b, \
                         size_t sbp, size_t sbc, float *c, size_t ldc, int from_c)         \
    {                                                                                      \
        col_tile(nc, rows, k, a, sap, b, sbp, sbc, c, ldc, from_c);                       \
    }
COL_FN(1)
COL_FN(2)
COL_FN(3)
COL_FN(4)
COL_FN(5)
COL_FN(6)
COL_FN(7)
COL_FN(8)
COL_FN(9)
COL_FN(10)
COL_FN(11)
COL_FN(12)

static ColFn *const COL_TILES[COL_MAXN] = {col_1, col_2, col_3, col_4,  col_5,  col_6,
                                           col_7, col_8, col_9, col_10, col_11, col_12};

static void col_gemm(size_t m, size_t n, size_t k, const float *a, size_t lda, const float *b,
                     size_t ldb, float *c, size_t ldc, int accumulate)
{
    for (size_t i0 = 0; i0 < m; i0 += W) {
        size_t rows = min_size(W, m - i0);
        for (size_t p0 = 0; p0 < k; p0 += KC)
            COL_TILES[n - 1](rows, min_size(KC, k - p0), a + p0 * lda + i0, lda, b + p0 * ldb,
                             ldb, 1, c + i0 * ldc, ldc, accumulate || p0 > 0);
    }
}

/* ---------------------------------------------------------------------------
 * Entry points. */

void gemm_nn_avx2(size_t m, size_t n, size_t k, const float *a, size_t lda, const float *b,
                  size_t ldb, float *c, size_t ldc, int accumulate)
{
    if (k == 0 || m == 0 || n == 0)
        chain_starts(m, n, c, ldc, accumulate);
    else
        row_gemm(m, n, k, a, lda, 1, b, ldb, B_COPY_ROWS, c, ldc, accumulate);
}

void gemm_tn_avx2(size_t m, size_t n, size_t k, const float *a, size_t lda, const float *b,
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
            __m256 x[8];
            for (size_t r = 0; r < 8; r++)
                x[r] = r < rows ? _mm256_maskload_ps(b + (j0 + r) * ldb + p0, lanes(cols))
                                : _mm256_setzero_ps();
            transpose8(x);
            for (size_t q = 0; q < cols; q++)
                _mm256_store_ps(panel + (p0 + q) * PANEL + j0, x[q]);
        }
    }
}

/* dst (cols x rows, leading dimension ldd) = the transpose of src (rows x
 * cols, leading dimension lds), 8 x 8 at a time. */
static void transpose_into(size_t rows, size_t cols, const float *src, size_t lds, float *dst,
                           size_t ldd)
{
    for (size_t r0 = 0; r0 < rows; r0 += W) {
        size_t nr = min_size(W, rows - r0);
        __m256i rmask = lanes(nr);
        for (size_t c0 = 0; c0 < cols; c0 += W) {
            size_t nc = min_size(W, cols - c0);
            __m256i cmask = lanes(nc);
            __m256 x[8];
            for (size_t r = 0; r < 8; r++)
                x[r] = r < nr ? _mm256_maskload_ps(src + (r0 + r) * lds + c0, cmask)
                              : _mm256_setzero_ps();
            transpose8(x);
            for (size_t q = 0; q < nc; q++)
                if (nr == W)
                    _mm256_storeu_ps(dst + (c0 + q) * ldd + r0, x[q]);
                else
                    _mm256_maskstore_ps(dst + (c0 + q) * ldd + r0, rmask, x[q]);
        }
    }
}

/* nt with few rows of C (an input gradient at batch 16 or 32): the row tiles
 * would have a handful of rows to share each transposed copy of B, so the
 * product is computed transposed instead, C^T (n x m) = B A^T, as nn-style row
 * tiles over B's rows with A^T as the (small, copied once) right-hand side;
 * then C^T is transposed into C. Each output is the same chain: fmaf(b(j, p),
 * a(i, p), c) is fmaf(a(i, p), b(j, p), c), p in the same order. Below
 * FLIP_MIN_K the transposes cost more than they save (nt 32 x 128 x 10: 52% of
 * the peak in place, 25% flipped); at 16 x 512 x 128, 58% -> 81%. */
enum { FLIP_MAX_M = 32, FLIP_MIN_K = 64, FLIP_MAX_K = 512, FLIP_ROWS = 192 };

static void nt_flipped(size_t m, size_t n, size_t k, const float *a, size_t lda, const float *b,
                       size_t ldb, float *c, size_t ldc, int accumulate)
{
    float at[FLIP_MAX_K * FLIP_MAX_M] __attribute__((aligned(32))); /* k x m */
    float ct[FLIP_ROWS * FLIP_MAX_M] __attribute__((aligned(32)));  /* rows x m */
    transpose_into(m, k, a, lda, at, m);
    for (size_t j0 = 0; j0 < n; j0 += FLIP_ROWS) {
        size_t rows = min_size(FLIP_ROWS, n - j0);
        if (accumulate)
            transpose_into(m, rows, c + j0, ldc, ct, m);
        row_gemm(rows, m, k, b + j0 * ldb, ldb, 1, at, m, B_COPY_ROWS, ct, m, accumulate);
        transpose_into(rows, m, ct, m, c + j0, ldc);
    }
}

void gemm_nt_avx2(size_t m, size_t n, size_t k, const float *a, size_t lda, const float *b,
                  size_t ldb, float *c, size_t ldc, int accumulate)
{
    if (k == 0 || m == 0 || n == 0)
        chain_starts(m, n, c, ldc, accumulate);
    else if (m <= FLIP_MAX_M && k >= FLIP_MIN_K && k <= FLIP_MAX_K)
        nt_flipped(m, n, k, a, lda, b, ldb, c, ldc, accumulate);
    else
        row_gemm(m, n, k, a, lda, 1, b, ldb, B_COPY_COLUMNS, c, ldc, accumulate);
}

/* ---------------------------------------------------------------------------
 * Peak: 12 independent chains (the FMA latency times the FMA pipes, with room). */

double gemm_peak_avx2(long iters, float *sink)
{
    __m256 acc[12];
    const __m256 x = _mm256_set1_ps(0.999f), y = _mm256_set1_ps(0.001f);
#pragma GCC unroll 12
    for (int r = 0; r < 12; r++)
        acc[r] = _mm256_set1_ps((float)r);
    for (long it = 0; it < iters; it++)
#pragma GCC unroll 12
        for (int r = 0; r < 12; r++)
            acc[r] = _mm256_fmadd_ps(acc[r], x, y);
    __m256 s = acc[0];
#pragma GCC unroll 12
    for (int r = 1; r < 12; r++)
        s = _mm256_add_ps(s, acc[r]);
    float lane[8];
    _mm256_storeu_ps(lane, s);
    *sink = lane[0] + lane[1] + lane[2] + lane[3] + lane[4] + lane[5] + lane[6] + lane[7];
    return (double)iters * 12.0 * W * 2.0;
}
