/* Scalar reference products and run-time path selection. The fast paths live in
 * gemm_avx2.c and gemm_avx512.c, compiled with their own -m flags. */
#include "gemm.h"

#include "err.h"

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

int isa_supported(Isa isa)
{
    switch (isa) {
    case ISA_SCALAR:
        return 1;
    case ISA_AVX2:
        return 0;
    case ISA_AVX512:
        return 0;
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
    gemm_nn_ref(m, n, k, a, lda, b, ldb, c, ldc, accumulate);
}

void gemm_tn(size_t m, size_t n, size_t k, const float *a, size_t lda,
             const float *b, size_t ldb, float *c, size_t ldc, int accumulate)
{
    gemm_tn_ref(m, n, k, a, lda, b, ldb, c, ldc, accumulate);
}

void gemm_nt(size_t m, size_t n, size_t k, const float *a, size_t lda,
             const float *b, size_t ldb, float *c, size_t ldc, int accumulate)
{
    gemm_nt_ref(m, n, k, a, lda, b, ldb, c, ldc, accumulate);
}
