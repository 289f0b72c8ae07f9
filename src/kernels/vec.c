/* The scalar reference loops of vec.h, and the choice of path. The fast paths
 * live in vec_avx2.c and vec_avx512.c (x86-64 only, compiled with their own -m
 * flags) and vec_neon.c (aarch64 only); nothing here calls them unless
 * gemm_isa() names their path, and only the target's files are built. */
#include "vec.h"

#include "fmath.h"
#include "gemm.h"
#include "vec_paths.h"

void vec_relu_ref(float *y, const float *x, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        float v = x[i];
        y[i] = (v > 0.0f || v != v) ? v : 0.0f;
    }
}

void vec_relu_grad_ref(float *dx, const float *dy, const float *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dx[i] = x[i] > 0.0f ? dy[i] : 0.0f;
}

void vec_sigmoid_ref(float *y, const float *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        y[i] = fm_sigmoidf(x[i]);
}

void vec_sigmoid_grad_ref(float *dx, const float *dy, const float *y, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        float s = y[i];
        float ds = s * (1.0f - s);
        dx[i] = dy[i] * ds;
    }
}

void vec_exp_shifted_ref(float *e, const float *x, size_t n, float c)
{
    for (size_t i = 0; i < n; i++)
        e[i] = fm_expf(x[i] - c);
}

void vec_div_double_ref(float *y, const float *x, size_t n, double d)
{
    for (size_t i = 0; i < n; i++)
        y[i] = (float)((double)x[i] / d);
}

void vec_add_ref(float *y, const float *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        y[i] = y[i] + x[i];
}

void vec_sgd_ref(float *w, const float *g, size_t n, float lr)
{
    for (size_t i = 0; i < n; i++) {
        float step = lr * g[i];
        w[i] = w[i] - step;
    }
}

void vec_sgd_decay_ref(float *w, const float *g, size_t n, float lr, float wd)
{
    for (size_t i = 0; i < n; i++) {
        float decay = wd * w[i];
        float s = g[i] + decay;
        float step = lr * s;
        w[i] = w[i] - step;
    }
}

double vec_unit_pixels_ref(float *x, const uint8_t *px, size_t n)
{
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) {
        x[i] = (float)px[i] / 255.0f;
        sum += x[i];
    }
    return sum;
}

void vec_sub_scalar_ref(float *x, size_t n, float c)
{
    for (size_t i = 0; i < n; i++)
        x[i] = x[i] - c;
}

/* One row per path, indexed by Isa; the rows of other architectures stay
 * empty (gemm_isa() never names them). */
typedef struct {
    void (*relu)(float *, const float *, size_t);
    void (*relu_grad)(float *, const float *, const float *, size_t);
    void (*sigmoid)(float *, const float *, size_t);
    void (*sigmoid_grad)(float *, const float *, const float *, size_t);
    void (*exp_shifted)(float *, const float *, size_t, float);
    void (*div_double)(float *, const float *, size_t, double);
    void (*add)(float *, const float *, size_t);
    void (*sgd)(float *, const float *, size_t, float);
    void (*sgd_decay)(float *, const float *, size_t, float, float);
    double (*unit_pixels)(float *, const uint8_t *, size_t);
    void (*sub_scalar)(float *, size_t, float);
} VecPath;

static const VecPath PATHS[ISA_COUNT] = {
    [ISA_SCALAR] = {vec_relu_ref, vec_relu_grad_ref, vec_sigmoid_ref, vec_sigmoid_grad_ref,
                    vec_exp_shifted_ref, vec_div_double_ref, vec_add_ref, vec_sgd_ref,
                    vec_sgd_decay_ref, vec_unit_pixels_ref, vec_sub_scalar_ref},
#if defined(__x86_64__)
    [ISA_AVX2] = {vec_relu_avx2, vec_relu_grad_avx2, vec_sigmoid_avx2, vec_sigmoid_grad_avx2,
                  vec_exp_shifted_avx2, vec_div_double_avx2, vec_add_avx2, vec_sgd_avx2,
                  vec_sgd_decay_avx2, vec_unit_pixels_avx2, vec_sub_scalar_avx2},
    [ISA_AVX512] = {vec_relu_avx512, vec_relu_grad_avx512, vec_sigmoid_avx512,
                    vec_sigmoid_grad_avx512, vec_exp_shifted_avx512, vec_div_double_avx512,
                    vec_add_avx512, vec_sgd_avx512, vec_sgd_decay_avx512, vec_unit_pixels_avx512,
                    vec_sub_scalar_avx512},
#endif
#if defined(__aarch64__)
    [ISA_NEON] = {vec_relu_neon, vec_relu_grad_neon, vec_sigmoid_neon, vec_sigmoid_grad_neon,
                  vec_exp_shifted_neon, vec_div_double_neon, vec_add_neon, vec_sgd_neon,
                  vec_sgd_decay_neon, vec_unit_pixels_neon, vec_sub_scalar_neon},
#endif
};

static const VecPath *path(void)
{
    return &PATHS[gemm_isa()];
}

void vec_relu(float *y, const float *x, size_t n)
{
    path()->relu(y, x, n);
}

void vec_relu_grad(float *dx, const float *dy, const float *x, size_t n)
{
    path()->relu_grad(dx, dy, x, n);
}

void vec_sigmoid(float *y, const float *x, size_t n)
{
    path()->sigmoid(y, x, n);
}

void vec_sigmoid_grad(float *dx, const float *dy, const float *y, size_t n)
{
    path()->sigmoid_grad(dx, dy, y, n);
}

void vec_exp_shifted(float *e, const float *x, size_t n, float c)
{
    path()->exp_shifted(e, x, n, c);
}

void vec_div_double(float *y, const float *x, size_t n, double d)
{
    path()->div_double(y, x, n, d);
}

void vec_add(float *y, const float *x, size_t n)
{
    path()->add(y, x, n);
}

void vec_sgd(float *w, const float *g, size_t n, float lr)
{
    path()->sgd(w, g, n, lr);
}

void vec_sgd_decay(float *w, const float *g, size_t n, float lr, float wd)
{
    path()->sgd_decay(w, g, n, lr, wd);
}

double vec_unit_pixels(float *x, const uint8_t *px, size_t n)
{
    if (n > VEC_EXACT_PIXELS)
        return vec_unit_pixels_ref(x, px, n);
    return path()->unit_pixels(x, px, n);
}

void vec_sub_scalar(float *x, size_t n, float c)
{
    path()->sub_scalar(x, n, c);
}
