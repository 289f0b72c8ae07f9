/* Scalar reference products and run-time path selection. The fast paths live in
 * gemm_avx2.c and gemm_avx512.c, compiled with their own -m flags; nothing here
 * may execute their instructions before isa_supported() has said yes. */
#include "gemm.h"

#include "err.h"
#include "gemm_paths.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void gemm_nn_ref(size_t m, size_t n, size_t k, const float *a, size_t lda,
                 const float *b, size_t ldb, float *c, size_t ldc, int accumulate)
{
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++) {
            float s = accumulate ? c[i * ldc + j] : 0.0f;
            for (size_t p = 0; p < k; p++)
                s = fmaf(a[i * lda + p], b[p * ldb + j], s);
            c[i * ldc + j] = s;
        }
}

void gemm_tn_ref(size_t m, size_t n, size_t k, const float *a, size_t lda,
                 const float *b, size_t ldb, float *c, size_t ldc, int accumulate)
{
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++) {
            float s = accumulate ? c[i * ldc + j] : 0.0f;
            for (size_t p = 0; p < k; p++)
                s = fmaf(a[p * lda + i], b[p * ldb + j], s);
            c[i * ldc + j] = s;
        }
}

void gemm_nt_ref(size_t m, size_t n, size_t k, const float *a, size_t lda,
                 const float *b, size_t ldb, float *c, size_t ldc, int accumulate)
{
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++) {
            float s = accumulate ? c[i * ldc + j] : 0.0f;
            for (size_t p = 0; p < k; p++)
                s = fmaf(a[i * lda + p], b[j * ldb + p], s);
            c[i * ldc + j] = s;
        }
}

static const char *const ISA_NAMES[] = {"scalar", "avx2", "avx512"};

const char *isa_name(Isa isa)
{
    return ISA_NAMES[isa];
}

/* __builtin_cpu_supports also checks that the operating system saves the
 * vector state (XGETBV), not only the CPUID bits. */
int isa_supported(Isa isa)
{
    __builtin_cpu_init();
    switch (isa) {
    case ISA_SCALAR:
        return 1;
    case ISA_AVX2:
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case ISA_AVX512:
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
               __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
               __builtin_cpu_supports("fma");
    }
    return 0;
}

static int selected = -1;

int gemm_force(Isa isa)
{
    if (!isa_supported(isa))
        return -1;
    selected = (int)isa;
    return 0;
}

int gemm_select(char *err)
{
    const char *env = getenv("MNIST_ISA");
    if (env && *env) {
        for (int i = 0; i <= ISA_AVX512; i++)
            if (strcmp(env, ISA_NAMES[i]) == 0) {
                if (gemm_force((Isa)i) < 0)
                    return err_set(err, "gemm: MNIST_ISA='%s': this cpu lacks that path", env);
                return 0;
            }
        return err_set(err, "gemm: MNIST_ISA='%s': unknown path (scalar, avx2, avx512)", env);
    }
    selected = ISA_SCALAR;
    for (int i = ISA_AVX512; i > ISA_SCALAR; i--)
        if (isa_supported((Isa)i)) {
            selected = i;
            break;
        }
    return 0;
}

Isa gemm_isa(void)
{
    if (selected < 0 && gemm_select(NULL) < 0)
        selected = ISA_SCALAR;
    return (Isa)selected;
}

void gemm_nn(size_t m, size_t n, size_t k, const float *a, size_t lda,
             const float *b, size_t ldb, float *c, size_t ldc, int accumulate)
{
    switch (gemm_isa()) {
    case ISA_SCALAR:
        gemm_nn_ref(m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        return;
    case ISA_AVX2:
        gemm_nn_avx2(m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        return;
    case ISA_AVX512:
        gemm_nn_avx512(m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        return;
    }
}

void gemm_tn(size_t m, size_t n, size_t k, const float *a, size_t lda,
             const float *b, size_t ldb, float *c, size_t ldc, int accumulate)
{
    switch (gemm_isa()) {
    case ISA_SCALAR:
        gemm_tn_ref(m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        return;
    case ISA_AVX2:
        gemm_tn_avx2(m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        return;
    case ISA_AVX512:
        gemm_tn_avx512(m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        return;
    }
}

void gemm_nt(size_t m, size_t n, size_t k, const float *a, size_t lda,
             const float *b, size_t ldb, float *c, size_t ldc, int accumulate)
{
    switch (gemm_isa()) {
    case ISA_SCALAR:
        gemm_nt_ref(m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        return;
    case ISA_AVX2:
        gemm_nt_avx2(m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        return;
    case ISA_AVX512:
        gemm_nt_avx512(m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        return;
    }
}
