/* The AVX-512 path of the elementwise loops (16 float lanes). Each lane does
 * exactly what the scalar loop of vec.c does for one element: the same
 * operations, one rounding each, in the same order (no fused multiply-add
 * anywhere: the file is built with -ffp-contract=off and calls no fmadd), so
 * the bits are the scalar path's. Whole vectors first, then one masked vector
 * for the last n % 16 elements. */
#include "vec_paths.h"

#include <immintrin.h>
#include <stddef.h>

#define W 16
#define INLINE static inline __attribute__((always_inline))

/* The first n lanes (all 16 when n >= 16). */
static __mmask16 lanes(size_t n)
{
    return n >= W ? (__mmask16)0xFFFF : (__mmask16)((1u << n) - 1u);
}

/* ---- activations ----------------------------------------------------------- */

/* (x > 0 || x != x) ? x : +0: "not (x <= 0)", true for a NaN. */
INLINE __m512 relu_v(__m512 x)
{
    return _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_NLE_UQ), x);
}

void vec_relu_avx512(float *y, const float *x, size_t n)
{
    size_t i = 0;
    for (; i + W <= n; i += W)
        _mm512_storeu_ps(y + i, relu_v(_mm512_loadu_ps(x + i)));
    if (i < n) {
        __mmask16 m = lanes(n - i);
        _mm512_mask_storeu_ps(y + i, m, relu_v(_mm512_maskz_loadu_ps(m, x + i)));
    }
}

/* x > 0 ? dy : +0 (false for a NaN x). */
INLINE __m512 relu_grad_v(__m512 dy, __m512 x)
{
    return _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_GT_OQ), dy);
}

void vec_relu_grad_avx512(float *dx, const float *dy, const float *x, size_t n)
{
    size_t i = 0;
    for (; i + W <= n; i += W)
        _mm512_storeu_ps(dx + i, relu_grad_v(_mm512_loadu_ps(dy + i), _mm512_loadu_ps(x + i)));
    if (i < n) {
        __mmask16 m = lanes(n - i);
        _mm512_mask_storeu_ps(dx + i, m, relu_grad_v(_mm512_maskz_loadu_ps(m, dy + i),
                                                     _mm512_maskz_loadu_ps(m, x + i)));
    }
}

/* 2^k for -126 <= k <= 127, from the exponent field (pow2i in fmath.c). */
INLINE __m512 pow2i_v(__m512i k)
{
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(k, _mm512_set1_epi32(127)), 23));
}

/* fm_expf (src/fmath.c) in every lane, step for step: the same Cody-Waite
 * reduction, Taylor polynomial and scaling, each product and sum rounded on its
 * own; the special cases of the scalar branches are blended in at the end. */
INLINE __m512 exp_v(__m512 x)
{
    const float LN2_HI = 0.693145751953125f;
    const float LN2_LO = 1.428606765330187e-06f;
    const float LOG2E = 1.44269504088896341f;
    __m512 t = _mm512_add_ps(_mm512_mul_ps(x, _mm512_set1_ps(LOG2E)), _mm512_set1_ps(0.5f));
    __m512 kf = _mm512_roundscale_ps(t, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
    __m512i k = _mm512_cvttps_epi32(kf);
    __m512 r = _mm512_sub_ps(_mm512_sub_ps(x, _mm512_mul_ps(kf, _mm512_set1_ps(LN2_HI))),
                             _mm512_mul_ps(kf, _mm512_set1_ps(LN2_LO)));
    __m512 p = _mm512_set1_ps(1.0f / 5040.0f);
    p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(1.0f / 720.0f));
    p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(1.0f / 120.0f));
    p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(1.0f / 24.0f));
    p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(1.0f / 6.0f));
    p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(0.5f));
    p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(1.0f));
    p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(1.0f));
    /* p * 2^k1 * 2^k2: k1 = k, k2 = 0 (times 1, exact) where 2^k is normal;
     * otherwise the scalar code's two steps, 127 then k - 127, or k + 126
     * then -126. */
    __mmask16 over = _mm512_cmpgt_epi32_mask(k, _mm512_set1_epi32(127));
    __mmask16 under = _mm512_cmplt_epi32_mask(k, _mm512_set1_epi32(-126));
    __m512i k1 = _mm512_mask_mov_epi32(k, over, _mm512_set1_epi32(127));
    k1 = _mm512_mask_add_epi32(k1, under, k, _mm512_set1_epi32(126));
    __m512i k2 = _mm512_maskz_sub_epi32(over, k, _mm512_set1_epi32(127));
    k2 = _mm512_mask_mov_epi32(k2, under, _mm512_set1_epi32(-126));
    __m512 y = _mm512_mul_ps(_mm512_mul_ps(p, pow2i_v(k1)), pow2i_v(k2));
    y = _mm512_mask_mov_ps(
        y, _mm512_cmp_ps_mask(x, _mm512_set1_ps(-103.97208404541015625f), _CMP_LT_OQ),
        _mm512_setzero_ps());
    y = _mm512_mask_mov_ps(y, _mm512_cmp_ps_mask(x, _mm512_set1_ps(88.72283935546875f), _CMP_GT_OQ),
                           _mm512_castsi512_ps(_mm512_set1_epi32(0x7f800000)));
    return _mm512_mask_mov_ps(y, _mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q), x);
}

/* fm_sigmoidf: x >= 0 ? 1 / (1 + e^-x) : e^x / (1 + e^x); a NaN takes the
 * second branch, as in the scalar code. */
INLINE __m512 sigmoid_v(__m512 x)
{
    __mmask16 ge = _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_GE_OQ);
    __m512 neg = _mm512_castsi512_ps(
        _mm512_xor_si512(_mm512_castps_si512(x), _mm512_set1_epi32((int)0x80000000u)));
    __m512 e = exp_v(_mm512_mask_mov_ps(x, ge, neg));
    __m512 num = _mm512_mask_mov_ps(e, ge, _mm512_set1_ps(1.0f));
    return _mm512_div_ps(num, _mm512_add_ps(_mm512_set1_ps(1.0f), e));
}

void vec_sigmoid_avx512(float *y, const float *x, size_t n)
{
    size_t i = 0;
    for (; i + W <= n; i += W)
        _mm512_storeu_ps(y + i, sigmoid_v(_mm512_loadu_ps(x + i)));
    if (i < n) {
        __mmask16 m = lanes(n - i);
        _mm512_mask_storeu_ps(y + i, m, sigmoid_v(_mm512_maskz_loadu_ps(m, x + i)));
    }
}

/* dy * (y * (1 - y)) */
INLINE __m512 sigmoid_grad_v(__m512 dy, __m512 y)
{
    __m512 ds = _mm512_mul_ps(y, _mm512_sub_ps(_mm512_set1_ps(1.0f), y));
    return _mm512_mul_ps(dy, ds);
}

void vec_sigmoid_grad_avx512(float *dx, const float *dy, const float *y, size_t n)
{
    size_t i = 0;
    for (; i + W <= n; i += W)
        _mm512_storeu_ps(dx + i, sigmoid_grad_v(_mm512_loadu_ps(dy + i), _mm512_loadu_ps(y + i)));
    if (i < n) {
        __mmask16 m = lanes(n - i);
        _mm512_mask_storeu_ps(dx + i, m, sigmoid_grad_v(_mm512_maskz_loadu_ps(m, dy + i),
                                                        _mm512_maskz_loadu_ps(m, y + i)));
    }
}

void vec_exp_shifted_avx512(float *e, const float *x, size_t n, float c)
{
    __m512 vc = _mm512_set1_ps(c);
    size_t i = 0;
    for (; i + W <= n; i += W)
        _mm512_storeu_ps(e + i, exp_v(_mm512_sub_ps(_mm512_loadu_ps(x + i), vc)));
    if (i < n) {
        __mmask16 m = lanes(n - i);
        _mm512_mask_storeu_ps(e + i, m, exp_v(_mm512_sub_ps(_mm512_maskz_loadu_ps(m, x + i), vc)));
    }
}

/* (float)((double)x / d) for 16 floats, as two halves of 8 doubles */
INLINE __m512 div_double_v(__m512 x, __m512d d)
{
    __m256 lo = _mm512_cvtpd_ps(_mm512_div_pd(_mm512_cvtps_pd(_mm512_castps512_ps256(x)), d));
    __m256 hi = _mm512_cvtpd_ps(_mm512_div_pd(
        _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(x), 1))), d));
    return _mm512_castpd_ps(
        _mm512_insertf64x4(_mm512_castps_pd(_mm512_castps256_ps512(lo)), _mm256_castps_pd(hi), 1));
}

void vec_div_double_avx512(float *y, const float *x, size_t n, double d)
{
    __m512d vd = _mm512_set1_pd(d);
    size_t i = 0;
    for (; i + W <= n; i += W)
        _mm512_storeu_ps(y + i, div_double_v(_mm512_loadu_ps(x + i), vd));
    if (i < n) {
        __mmask16 m = lanes(n - i);
        _mm512_mask_storeu_ps(y + i, m, div_double_v(_mm512_maskz_loadu_ps(m, x + i), vd));
    }
}

/* ---- sums and updates ------------------------------------------------------- */

void vec_add_avx512(float *y, const float *x, size_t n)
{
    size_t i = 0;
    for (; i + W <= n; i += W)
        _mm512_storeu_ps(y + i, _mm512_add_ps(_mm512_loadu_ps(y + i), _mm512_loadu_ps(x + i)));
    if (i < n) {
        __mmask16 m = lanes(n - i);
        _mm512_mask_storeu_ps(y + i, m, _mm512_add_ps(_mm512_maskz_loadu_ps(m, y + i),
                                                      _mm512_maskz_loadu_ps(m, x + i)));
    }
}

/* w - lr * g */
INLINE __m512 sgd_v(__m512 w, __m512 g, __m512 lr)
{
    return _mm512_sub_ps(w, _mm512_mul_ps(lr, g));
}

void vec_sgd_avx512(float *w, const float *g, size_t n, float lr)
{
    __m512 vlr = _mm512_set1_ps(lr);
    size_t i = 0;
    for (; i + W <= n; i += W)
        _mm512_storeu_ps(w + i, sgd_v(_mm512_loadu_ps(w + i), _mm512_loadu_ps(g + i), vlr));
    if (i < n) {
        __mmask16 m = lanes(n - i);
        _mm512_mask_storeu_ps(w + i, m, sgd_v(_mm512_maskz_loadu_ps(m, w + i),
                                              _mm512_maskz_loadu_ps(m, g + i), vlr));
    }
}

/* w - lr * (g + wd * w) */
INLINE __m512 sgd_decay_v(__m512 w, __m512 g, __m512 lr, __m512 wd)
{
    __m512 s = _mm512_add_ps(g, _mm512_mul_ps(wd, w));
    return _mm512_sub_ps(w, _mm512_mul_ps(lr, s));
}

void vec_sgd_decay_avx512(float *w, const float *g, size_t n, float lr, float wd)
{
    __m512 vlr = _mm512_set1_ps(lr), vwd = _mm512_set1_ps(wd);
    size_t i = 0;
    for (; i + W <= n; i += W)
        _mm512_storeu_ps(w + i,
                         sgd_decay_v(_mm512_loadu_ps(w + i), _mm512_loadu_ps(g + i), vlr, vwd));
    if (i < n) {
        __mmask16 m = lanes(n - i);
        _mm512_mask_storeu_ps(w + i, m, sgd_decay_v(_mm512_maskz_loadu_ps(m, w + i),
                                                    _mm512_maskz_loadu_ps(m, g + i), vlr, vwd));
    }
}

/* ---- pixels ------------------------------------------------------------------ */

/* 16 bytes to px / 255.0f, stored; their sum joins the two double
 * accumulators (exact: see vec.h). */
INLINE void unit16(float *x, __m128i bytes, __mmask16 m, __m512d *lo, __m512d *hi)
{
    __m512 v = _mm512_div_ps(_mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(bytes)),
                             _mm512_set1_ps(255.0f));
    _mm512_mask_storeu_ps(x, m, v);
    *lo = _mm512_add_pd(*lo, _mm512_cvtps_pd(_mm512_castps512_ps256(v)));
    *hi = _mm512_add_pd(*hi, _mm512_cvtps_pd(
                                 _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1))));
}

double vec_unit_pixels_avx512(float *x, const uint8_t *px, size_t n)
{
    __m512d lo = _mm512_setzero_pd(), hi = _mm512_setzero_pd();
    size_t i = 0;
    for (; i + W <= n; i += W)
        unit16(x + i, _mm_loadu_si128((const __m128i *)(px + i)), 0xFFFF, &lo, &hi);
    if (i < n) {
        /* masked-off bytes load as 0, which adds 0 */
        __mmask16 m = lanes(n - i);
        unit16(x + i, _mm_maskz_loadu_epi8(m, px + i), m, &lo, &hi);
    }
    return _mm512_reduce_add_pd(_mm512_add_pd(lo, hi));
}

void vec_sub_scalar_avx512(float *x, size_t n, float c)
{
    __m512 vc = _mm512_set1_ps(c);
    size_t i = 0;
    for (; i + W <= n; i += W)
        _mm512_storeu_ps(x + i, _mm512_sub_ps(_mm512_loadu_ps(x + i), vc));
    if (i < n) {
        __mmask16 m = lanes(n - i);
        _mm512_mask_storeu_ps(x + i, m, _mm512_sub_ps(_mm512_maskz_loadu_ps(m, x + i), vc));
    }
}
