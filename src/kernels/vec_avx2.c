/* The AVX2 path of the elementwise loops (8 float lanes): the same lane code
 * as vec_avx512.c, which explains why it gives the scalar path's bits. Tails
 * use vmaskmov loads and stores (masked-off lanes read as 0 and are never
 * written), and the pixel tail is the scalar loop. */
#include "vec_paths.h"

#include <immintrin.h>
#include <stddef.h>

#define W 8
#define INLINE static inline __attribute__((always_inline))

/* A vmaskmov mask of the first n lanes (all 8 when n >= 8). */
static __m256i lanes(size_t n)
{
    int k = n >= W ? W : (int)n;
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(k), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

/* ---- activations ----------------------------------------------------------- */

/* (x > 0 || x != x) ? x : +0: "not (x <= 0)", true for a NaN. */
INLINE __m256 relu_v(__m256 x)
{
    return _mm256_and_ps(_mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_NLE_UQ), x);
}

void vec_relu_avx2(float *y, const float *x, size_t n)
{
    size_t i = 0;
    for (; i + W <= n; i += W)
        _mm256_storeu_ps(y + i, relu_v(_mm256_loadu_ps(x + i)));
    if (i < n) {
        __m256i m = lanes(n - i);
        _mm256_maskstore_ps(y + i, m, relu_v(_mm256_maskload_ps(x + i, m)));
    }
}

/* x > 0 ? dy : +0 (false for a NaN x). */
INLINE __m256 relu_grad_v(__m256 dy, __m256 x)
{
    return _mm256_and_ps(_mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_GT_OQ), dy);
}

void vec_relu_grad_avx2(float *dx, const float *dy, const float *x, size_t n)
{
    size_t i = 0;
    for (; i + W <= n; i += W)
        _mm256_storeu_ps(dx + i, relu_grad_v(_mm256_loadu_ps(dy + i), _mm256_loadu_ps(x + i)));
    if (i < n) {
        __m256i m = lanes(n - i);
        _mm256_maskstore_ps(dx + i, m, relu_grad_v(_mm256_maskload_ps(dy + i, m),
                                                   _mm256_maskload_ps(x + i, m)));
    }
}

/* 2^k for -126 <= k <= 127, from the exponent field (pow2i in fmath.c). */
INLINE __m256 pow2i_v(__m256i k)
{
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(k, _mm256_set1_epi32(127)), 23));
}

/* fm_expf (src/fmath.c) in every lane, step for step (see vec_avx512.c). */
INLINE __m256 exp_v(__m256 x)
{
    const float LN2_HI = 0.693145751953125f;
    const float LN2_LO = 1.428606765330187e-06f;
    const float LOG2E = 1.44269504088896341f;
    __m256 t = _mm256_add_ps(_mm256_mul_ps(x, _mm256_set1_ps(LOG2E)), _mm256_set1_ps(0.5f));
    __m256 kf = _mm256_floor_ps(t);
    __m256i k = _mm256_cvttps_epi32(kf);
    __m256 r = _mm256_sub_ps(_mm256_sub_ps(x, _mm256_mul_ps(kf, _mm256_set1_ps(LN2_HI))),
                             _mm256_mul_ps(kf, _mm256_set1_ps(LN2_LO)));
    __m256 p = _mm256_set1_ps(1.0f / 5040.0f);
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(1.0f / 720.0f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(1.0f / 120.0f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(1.0f / 24.0f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(1.0f / 6.0f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(0.5f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(1.0f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(1.0f));
    /* p * 2^k1 * 2^k2 as in vec_avx512.c */
    __m256i over = _mm256_cmpgt_epi32(k, _mm256_set1_epi32(127));
    __m256i under = _mm256_cmpgt_epi32(_mm256_set1_epi32(-126), k);
    __m256i k1 = _mm256_blendv_epi8(k, _mm256_set1_epi32(127), over);
    k1 = _mm256_blendv_epi8(k1, _mm256_add_epi32(k, _mm256_set1_epi32(126)), under);
    __m256i k2 = _mm256_and_si256(over, _mm256_sub_epi32(k, _mm256_set1_epi32(127)));
    k2 = _mm256_blendv_epi8(k2, _mm256_set1_epi32(-126), under);
    __m256 y = _mm256_mul_ps(_mm256_mul_ps(p, pow2i_v(k1)), pow2i_v(k2));
    y = _mm256_blendv_ps(y, _mm256_setzero_ps(),
                         _mm256_cmp_ps(x, _mm256_set1_ps(-103.97208404541015625f), _CMP_LT_OQ));
    y = _mm256_blendv_ps(y, _mm256_castsi256_ps(_mm256_set1_epi32(0x7f800000)),
                         _mm256_cmp_ps(x, _mm256_set1_ps(88.72283935546875f), _CMP_GT_OQ));
    return _mm256_blendv_ps(y, x, _mm256_cmp_ps(x, x, _CMP_UNORD_Q));
}

/* fm_sigmoidf: x >= 0 ? 1 / (1 + e^-x) : e^x / (1 + e^x); a NaN takes the
 * second branch, as in the scalar code. */
INLINE __m256 sigmoid_v(__m256 x)
{
    __m256 ge = _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_GE_OQ);
    __m256 neg = _mm256_xor_ps(x, _mm256_castsi256_ps(_mm256_set1_epi32((int)0x80000000u)));
    __m256 e = exp_v(_mm256_blendv_ps(x, neg, ge));
    __m256 num = _mm256_blendv_ps(e, _mm256_set1_ps(1.0f), ge);
    return _mm256_div_ps(num, _mm256_add_ps(_mm256_set1_ps(1.0f), e));
}

void vec_sigmoid_avx2(float *y, const float *x, size_t n)
{
    size_t i = 0;
    for (; i + W <= n; i += W)
        _mm256_storeu_ps(y + i, sigmoid_v(_mm256_loadu_ps(x + i)));
    if (i < n) {
        __m256i m = lanes(n - i);
        _mm256_maskstore_ps(y + i, m, sigmoid_v(_mm256_maskload_ps(x + i, m)));
    }
}

/* dy * (y * (1 - y)) */
INLINE __m256 sigmoid_grad_v(__m256 dy, __m256 y)
{
    __m256 ds = _mm256_mul_ps(y, _mm256_sub_ps(_mm256_set1_ps(1.0f), y));
    return _mm256_mul_ps(dy, ds);
}

void vec_sigmoid_grad_avx2(float *dx, const float *dy, const float *y, size_t n)
{
    size_t i = 0;
    for (; i + W <= n; i += W)
        _mm256_storeu_ps(dx + i, sigmoid_grad_v(_mm256_loadu_ps(dy + i), _mm256_loadu_ps(y + i)));
    if (i < n) {
        __m256i m = lanes(n - i);
        _mm256_maskstore_ps(dx + i, m, sigmoid_grad_v(_mm256_maskload_ps(dy + i, m),
                                                      _mm256_maskload_ps(y + i, m)));
    }
}

void vec_exp_shifted_avx2(float *e, const float *x, size_t n, float c)
{
    __m256 vc = _mm256_set1_ps(c);
    size_t i = 0;
    for (; i + W <= n; i += W)
        _mm256_storeu_ps(e + i, exp_v(_mm256_sub_ps(_mm256_loadu_ps(x + i), vc)));
    if (i < n) {
        __m256i m = lanes(n - i);
        _mm256_maskstore_ps(e + i, m, exp_v(_mm256_sub_ps(_mm256_maskload_ps(x + i, m), vc)));
    }
}

/* (float)((double)x / d) for 8 floats, as two halves of 4 doubles */
INLINE __m256 div_double_v(__m256 x, __m256d d)
{
    __m128 lo = _mm256_cvtpd_ps(_mm256_div_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(x)), d));
    __m128 hi = _mm256_cvtpd_ps(_mm256_div_pd(_mm256_cvtps_pd(_mm256_extractf128_ps(x, 1)), d));
    return _mm256_insertf128_ps(_mm256_castps128_ps256(lo), hi, 1);
}

void vec_div_double_avx2(float *y, const float *x, size_t n, double d)
{
    __m256d vd = _mm256_set1_pd(d);
    size_t i = 0;
    for (; i + W <= n; i += W)
        _mm256_storeu_ps(y + i, div_double_v(_mm256_loadu_ps(x + i), vd));
    if (i < n) {
        __m256i m = lanes(n - i);
        _mm256_maskstore_ps(y + i, m, div_double_v(_mm256_maskload_ps(x + i, m), vd));
    }
}

/* ---- sums and updates ------------------------------------------------------- */

void vec_add_avx2(float *y, const float *x, size_t n)
{
    size_t i = 0;
    for (; i + W <= n; i += W)
        _mm256_storeu_ps(y + i, _mm256_add_ps(_mm256_loadu_ps(y + i), _mm256_loadu_ps(x + i)));
    if (i < n) {
        __m256i m = lanes(n - i);
        _mm256_maskstore_ps(y + i, m, _mm256_add_ps(_mm256_maskload_ps(y + i, m),
                                                    _mm256_maskload_ps(x + i, m)));
    }
}

/* w - lr * g */
INLINE __m256 sgd_v(__m256 w, __m256 g, __m256 lr)
{
    return _mm256_sub_ps(w, _mm256_mul_ps(lr, g));
}

void vec_sgd_avx2(float *w, const float *g, size_t n, float lr)
{
    __m256 vlr = _mm256_set1_ps(lr);
    size_t i = 0;
    for (; i + W <= n; i += W)
        _mm256_storeu_ps(w + i, sgd_v(_mm256_loadu_ps(w + i), _mm256_loadu_ps(g + i), vlr));
    if (i < n) {
        __m256i m = lanes(n - i);
        _mm256_maskstore_ps(w + i, m, sgd_v(_mm256_maskload_ps(w + i, m),
                                            _mm256_maskload_ps(g + i, m), vlr));
    }
}

/* w - lr * (g + wd * w) */
INLINE __m256 sgd_decay_v(__m256 w, __m256 g, __m256 lr, __m256 wd)
{
    __m256 s = _mm256_add_ps(g, _mm256_mul_ps(wd, w));
    return _mm256_sub_ps(w, _mm256_mul_ps(lr, s));
}

void vec_sgd_decay_avx2(float *w, const float *g, size_t n, float lr, float wd)
{
    __m256 vlr = _mm256_set1_ps(lr), vwd = _mm256_set1_ps(wd);
    size_t i = 0;
    for (; i + W <= n; i += W)
        _mm256_storeu_ps(w + i,
                         sgd_decay_v(_mm256_loadu_ps(w + i), _mm256_loadu_ps(g + i), vlr, vwd));
    if (i < n) {
        __m256i m = lanes(n - i);
        _mm256_maskstore_ps(w + i, m, sgd_decay_v(_mm256_maskload_ps(w + i, m),
                                                  _mm256_maskload_ps(g + i, m), vlr, vwd));
    }
}

/* ---- pixels ------------------------------------------------------------------ */

double vec_unit_pixels_avx2(float *x, const uint8_t *px, size_t n)
{
    __m256d lo = _mm256_setzero_pd(), hi = _mm256_setzero_pd();
    size_t i = 0;
    for (; i + W <= n; i += W) {
        __m128i bytes = _mm_loadl_epi64((const __m128i *)(px + i));
        __m256 v = _mm256_div_ps(_mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(bytes)),
                                 _mm256_set1_ps(255.0f));
        _mm256_storeu_ps(x + i, v);
        lo = _mm256_add_pd(lo, _mm256_cvtps_pd(_mm256_castps256_ps128(v)));
        hi = _mm256_add_pd(hi, _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1)));
    }
    /* the sum is exact (vec.h), so the lanes may be added in any order */
    double lanes_sum[4];
    _mm256_storeu_pd(lanes_sum, _mm256_add_pd(lo, hi));
    double sum = (lanes_sum[0] + lanes_sum[1]) + (lanes_sum[2] + lanes_sum[3]);
    for (; i < n; i++) {
        x[i] = (float)px[i] / 255.0f;
        sum += x[i];
    }
    return sum;
}

void vec_sub_scalar_avx2(float *x, size_t n, float c)
{
    __m256 vc = _mm256_set1_ps(c);
    size_t i = 0;
    for (; i + W <= n; i += W)
        _mm256_storeu_ps(x + i, _mm256_sub_ps(_mm256_loadu_ps(x + i), vc));
    if (i < n) {
        __m256i m = lanes(n - i);
        _mm256_maskstore_ps(x + i, m, _mm256_sub_ps(_mm256_maskload_ps(x + i, m), vc));
    }
}
