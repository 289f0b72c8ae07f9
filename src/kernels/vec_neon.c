/* The NEON path of the elementwise loops (aarch64, 4 float lanes): the same
 * lane code as vec_avx2.c and vec_avx512.c, which explain why it gives the
 * scalar path's bits: per element the same IEEE operations in the same order
 * (a multiply and an add stay two operations, never vfmaq), comparisons and
 * bit selects where the scalar code branches. NEON has no masked loads or
 * stores, so a tail of fewer than 4 elements goes through a zero-filled
 * vector (the padding lanes are computed and thrown away, never stored), and
 * the pixel tail is the scalar loop. */
#include "vec_paths.h"
#include "neon_part.h"

#include <arm_neon.h>
#include <stddef.h>

#define W 4
#define INLINE static inline __attribute__((always_inline))

/* The loops: whole vectors, then the tail through load_part and store_part.
 * OP is an expression of the loaded vectors named in it. */
#define MAP1(y, x, n, OP)                                                                  \
    do {                                                                                   \
        size_t i_ = 0;                                                                     \
        for (; i_ + W <= (n); i_ += W) {                                                   \
            float32x4_t vx = vld1q_f32((x) + i_);                                          \
            vst1q_f32((y) + i_, OP);                                                       \
        }                                                                                  \
        if (i_ < (n)) {                                                                    \
            float32x4_t vx = load_part((x) + i_, (n) - i_);                                \
            store_part((y) + i_, (n) - i_, OP);                                            \
        }                                                                                  \
    } while (0)

#define MAP2(y, x1, x2, n, OP)                                                             \
    do {                                                                                   \
        size_t i_ = 0;                                                                     \
        for (; i_ + W <= (n); i_ += W) {                                                   \
            float32x4_t v1 = vld1q_f32((x1) + i_), v2 = vld1q_f32((x2) + i_);              \
            vst1q_f32((y) + i_, OP);                                                       \
        }                                                                                  \
        if (i_ < (n)) {                                                                    \
            float32x4_t v1 = load_part((x1) + i_, (n) - i_);                               \
            float32x4_t v2 = load_part((x2) + i_, (n) - i_);                               \
            store_part((y) + i_, (n) - i_, OP);                                            \
        }                                                                                  \
    } while (0)

INLINE float32x4_t select_f32(uint32x4_t m, float32x4_t a, float32x4_t b)
{
    return vbslq_f32(m, a, b);
}

/* ---- activations ----------------------------------------------------------- */

/* (x > 0 || x != x) ? x : +0: x with its bits cleared where x <= 0 (false for
 * a NaN, so a NaN passes through; -0 becomes +0). */
INLINE float32x4_t relu_v(float32x4_t x)
{
    uint32x4_t le = vcleq_f32(x, vdupq_n_f32(0.0f));
    return vreinterpretq_f32_u32(vbicq_u32(vreinterpretq_u32_f32(x), le));
}

void vec_relu_neon(float *y, const float *x, size_t n)
{
    MAP1(y, x, n, relu_v(vx));
}

/* x > 0 ? dy : +0 (false for a NaN x). */
INLINE float32x4_t relu_grad_v(float32x4_t dy, float32x4_t x)
{
    uint32x4_t gt = vcgtq_f32(x, vdupq_n_f32(0.0f));
    return vreinterpretq_f32_u32(vandq_u32(vreinterpretq_u32_f32(dy), gt));
}

void vec_relu_grad_neon(float *dx, const float *dy, const float *x, size_t n)
{
    MAP2(dx, dy, x, n, relu_grad_v(v1, v2));
}

/* 2^k for -126 <= k <= 127, from the exponent field (pow2i in fmath.c). */
INLINE float32x4_t pow2i_v(int32x4_t k)
{
    return vreinterpretq_f32_s32(vshlq_n_s32(vaddq_s32(k, vdupq_n_s32(127)), 23));
}

/* fm_expf (src/kernels/fmath.c) in every lane, step for step (see
 * vec_avx512.c): each multiply and add rounded on its own, floor exact, the
 * scaling as p * 2^k1 * 2^k2, then the out-of-range and NaN results chosen
 * as the scalar code's early returns would. */
INLINE float32x4_t exp_v(float32x4_t x)
{
    const float LN2_HI = 0.693145751953125f;
    const float LN2_LO = 1.428606765330187e-06f;
    const float LOG2E = 1.44269504088896341f;
    float32x4_t t = vaddq_f32(vmulq_f32(x, vdupq_n_f32(LOG2E)), vdupq_n_f32(0.5f));
    float32x4_t kf = vrndmq_f32(t);
    /* kf is integral, so truncation is exact; out of int range only where the
     * result is replaced below */
    int32x4_t k = vcvtq_s32_f32(kf);
    float32x4_t r = vsubq_f32(vsubq_f32(x, vmulq_f32(kf, vdupq_n_f32(LN2_HI))),
                              vmulq_f32(kf, vdupq_n_f32(LN2_LO)));
    float32x4_t p = vdupq_n_f32(1.0f / 5040.0f);
    p = vaddq_f32(vmulq_f32(p, r), vdupq_n_f32(1.0f / 720.0f));
    p = vaddq_f32(vmulq_f32(p, r), vdupq_n_f32(1.0f / 120.0f));
    p = vaddq_f32(vmulq_f32(p, r), vdupq_n_f32(1.0f / 24.0f));
    p = vaddq_f32(vmulq_f32(p, r), vdupq_n_f32(1.0f / 6.0f));
    p = vaddq_f32(vmulq_f32(p, r), vdupq_n_f32(0.5f));
    p = vaddq_f32(vmulq_f32(p, r), vdupq_n_f32(1.0f));
    p = vaddq_f32(vmulq_f32(p, r), vdupq_n_f32(1.0f));
    /* k > 127: 2^127 * 2^(k - 127); k < -126: 2^(k + 126) * 2^-126; else 2^k * 1 */
    uint32x4_t over = vcgtq_s32(k, vdupq_n_s32(127));
    uint32x4_t under = vcltq_s32(k, vdupq_n_s32(-126));
    int32x4_t k1 = vbslq_s32(over, vdupq_n_s32(127), k);
    k1 = vbslq_s32(under, vaddq_s32(k, vdupq_n_s32(126)), k1);
    int32x4_t k2 = vbslq_s32(over, vsubq_s32(k, vdupq_n_s32(127)), vdupq_n_s32(0));
    k2 = vbslq_s32(under, vdupq_n_s32(-126), k2);
    float32x4_t y = vmulq_f32(vmulq_f32(p, pow2i_v(k1)), pow2i_v(k2));
    y = select_f32(vcltq_f32(x, vdupq_n_f32(-103.97208404541015625f)), vdupq_n_f32(0.0f), y);
    y = select_f32(vcgtq_f32(x, vdupq_n_f32(88.72283935546875f)),
                   vreinterpretq_f32_u32(vdupq_n_u32(0x7f800000u)), y);
    return select_f32(vceqq_f32(x, x), y, x);
}

/* fm_sigmoidf: x >= 0 ? 1 / (1 + e^-x) : e^x / (1 + e^x); a NaN takes the
 * second branch, as in the scalar code. */
INLINE float32x4_t sigmoid_v(float32x4_t x)
{
    uint32x4_t ge = vcgeq_f32(x, vdupq_n_f32(0.0f));
    float32x4_t e = exp_v(select_f32(ge, vnegq_f32(x), x));
    float32x4_t num = select_f32(ge, vdupq_n_f32(1.0f), e);
    return vdivq_f32(num, vaddq_f32(vdupq_n_f32(1.0f), e));
}

void vec_sigmoid_neon(float *y, const float *x, size_t n)
{
    MAP1(y, x, n, sigmoid_v(vx));
}

/* dy * (y * (1 - y)) */
INLINE float32x4_t sigmoid_grad_v(float32x4_t dy, float32x4_t y)
{
    float32x4_t ds = vmulq_f32(y, vsubq_f32(vdupq_n_f32(1.0f), y));
    return vmulq_f32(dy, ds);
}

void vec_sigmoid_grad_neon(float *dx, const float *dy, const float *y, size_t n)
{
    MAP2(dx, dy, y, n, sigmoid_grad_v(v1, v2));
}

void vec_exp_shifted_neon(float *e, const float *x, size_t n, float c)
{
    float32x4_t vc = vdupq_n_f32(c);
    MAP1(e, x, n, exp_v(vsubq_f32(vx, vc)));
}

/* (float)((double)x / d) for 4 floats, as two halves of 2 doubles */
INLINE float32x4_t div_double_v(float32x4_t x, float64x2_t d)
{
    float32x2_t lo = vcvt_f32_f64(vdivq_f64(vcvt_f64_f32(vget_low_f32(x)), d));
    return vcvt_high_f32_f64(lo, vdivq_f64(vcvt_high_f64_f32(x), d));
}

void vec_div_double_neon(float *y, const float *x, size_t n, double d)
{
    float64x2_t vd = vdupq_n_f64(d);
    MAP1(y, x, n, div_double_v(vx, vd));
}

/* ---- sums and updates ------------------------------------------------------- */

void vec_add_neon(float *y, const float *x, size_t n)
{
    MAP2(y, y, x, n, vaddq_f32(v1, v2));
}

/* w - lr * g */
INLINE float32x4_t sgd_v(float32x4_t w, float32x4_t g, float32x4_t lr)
{
    return vsubq_f32(w, vmulq_f32(lr, g));
}

void vec_sgd_neon(float *w, const float *g, size_t n, float lr)
{
    float32x4_t vlr = vdupq_n_f32(lr);
    MAP2(w, w, g, n, sgd_v(v1, v2, vlr));
}

/* w - lr * (g + wd * w) */
INLINE float32x4_t sgd_decay_v(float32x4_t w, float32x4_t g, float32x4_t lr, float32x4_t wd)
{
    float32x4_t s = vaddq_f32(g, vmulq_f32(wd, w));
    return vsubq_f32(w, vmulq_f32(lr, s));
}

void vec_sgd_decay_neon(float *w, const float *g, size_t n, float lr, float wd)
{
    float32x4_t vlr = vdupq_n_f32(lr), vwd = vdupq_n_f32(wd);
    MAP2(w, w, g, n, sgd_decay_v(v1, v2, vlr, vwd));
}

/* ---- pixels ------------------------------------------------------------------ */

double vec_unit_pixels_neon(float *x, const uint8_t *px, size_t n)
{
    float64x2_t s0 = vdupq_n_f64(0.0), s1 = s0, s2 = s0, s3 = s0;
    const float32x4_t k255 = vdupq_n_f32(255.0f);
    size_t i = 0;
    for (; i + 2 * W <= n; i += 2 * W) {
        uint16x8_t h = vmovl_u8(vld1_u8(px + i));
        float32x4_t lo = vdivq_f32(vcvtq_f32_u32(vmovl_u16(vget_low_u16(h))), k255);
        float32x4_t hi = vdivq_f32(vcvtq_f32_u32(vmovl_high_u16(h)), k255);
        vst1q_f32(x + i, lo);
        vst1q_f32(x + i + W, hi);
        s0 = vaddq_f64(s0, vcvt_f64_f32(vget_low_f32(lo)));
        s1 = vaddq_f64(s1, vcvt_high_f64_f32(lo));
        s2 = vaddq_f64(s2, vcvt_f64_f32(vget_low_f32(hi)));
        s3 = vaddq_f64(s3, vcvt_high_f64_f32(hi));
    }
    /* the sum is exact (vec.h), so the lanes may be added in any order */
    double sum = vaddvq_f64(vaddq_f64(vaddq_f64(s0, s1), vaddq_f64(s2, s3)));
    for (; i < n; i++) {
        x[i] = (float)px[i] / 255.0f;
        sum += x[i];
    }
    return sum;
}

void vec_sub_scalar_neon(float *x, size_t n, float c)
{
    float32x4_t vc = vdupq_n_f32(c);
    MAP1(x, x, n, vsubq_f32(vx, vc));
}
