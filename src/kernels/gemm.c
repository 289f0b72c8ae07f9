/* Scalar reference products and run-time path selection. The fast paths live in
 * gemm_avx2.c and gemm_avx512.c (x86-64 only, compiled with their own -m flags)
 * and gemm_neon.c (aarch64 only); the Makefile builds only the files of the
 * target architecture, and nothing here names a path of another one or may
 * execute a path's instructions before isa_supported() has said yes.
 *
 * Why three drivers rather than one with per-path micro-tiles: the loops over
 * blocks of rows, blocks of columns and chunks of p look alike in the three
 * files, and the numerics contract would allow a shared one (blocking never
 * changes a bit: a chunk continues its chains through C). What keeps them
 * apart is that every decision inside those loops was measured on its own
 * path, and they differ: how a block that ends inside a vector is read
 * (AVX-512: mask registers, B in place; AVX2: a mask costs the 17th vector
 * register and a masked store is microcoded on AMD's cores, so three kinds of
 * tile; NEON: no masked access, so zero-padded copies of B and A and C's
 * partial vectors through a buffer), when and how B is copied (AVX-512 never
 * for nn; AVX2 by the first tile of a block as it reads it; NEON by a pass of
 * its own from 48 rows of C), the column tiles (one vector of rows on AVX2, two
 * on the others), the chunks of p, and AVX2's input gradient at a small batch,
 * computed transposed. A common driver would take each of these
 * as a hook in its path's table: fewer lines, as many decisions. Merging them
 * pays only where every path can be timed (`make bench`) and checked bit for
 * bit on its own hardware at the same time; `make check` runs the paths of the
 * machine it is on (and NEON under qemu in `make check-arm64`, where timings
 * mean nothing). */
#include "gemm.h"

#include "err.h"
#include "gemm_paths.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

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

static const char *const ISA_NAMES[ISA_COUNT] = {"scalar", "avx2", "avx512", "neon"};

const char *isa_name(Isa isa)
{
    return ISA_NAMES[isa];
}

const char *isa_machine(void)
{
    static char machine[sizeof ((struct utsname *)0)->machine];
    struct utsname u;
    if (!machine[0])
        snprintf(machine, sizeof machine, "%s", uname(&u) == 0 ? u.machine : "unknown");
    return machine;
}

/* On x86-64 __builtin_cpu_supports also checks that the operating system
 * saves the vector state (XGETBV), not only the CPUID bits. Advanced SIMD is
 * a mandatory part of aarch64 as Linux runs it. */
int isa_supported(Isa isa)
{
#if defined(__x86_64__)
    __builtin_cpu_init();
#endif
    switch (isa) {
    case ISA_SCALAR:
        return 1;
    case ISA_AVX2:
#if defined(__x86_64__)
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
        return 0;
#endif
    case ISA_AVX512:
#if defined(__x86_64__)
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
               __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
               __builtin_cpu_supports("fma");
#else
        return 0;
#endif
    case ISA_NEON:
#if defined(__aarch64__)
        return 1;
#else
        return 0;
#endif
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
        for (int i = 0; i < ISA_COUNT; i++)
            if (strcmp(env, ISA_NAMES[i]) == 0) {
                if (gemm_force((Isa)i) < 0)
                    return err_set(err, "gemm: MNIST_ISA='%s': this cpu lacks that path", env);
                return 0;
            }
        return err_set(err, "gemm: MNIST_ISA='%s': unknown path (scalar, avx2, avx512, neon)",
                       env);
    }
    /* the paths of one architecture are listed narrowest first */
    selected = ISA_SCALAR;
    for (int i = ISA_COUNT - 1; i > ISA_SCALAR; i--)
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

typedef void GemmFn(size_t m, size_t n, size_t k, const float *a, size_t lda, const float *b,
                    size_t ldb, float *c, size_t ldc, int accumulate);

/* One row per path, indexed by Isa; the rows of other architectures stay
 * empty, and isa_supported() keeps them from being selected. */
static const struct {
    GemmFn *nn, *tn, *nt;
} PATHS[ISA_COUNT] = {
    [ISA_SCALAR] = {gemm_nn_ref, gemm_tn_ref, gemm_nt_ref},
#if defined(__x86_64__)
    [ISA_AVX2] = {gemm_nn_avx2, gemm_tn_avx2, gemm_nt_avx2},
    [ISA_AVX512] = {gemm_nn_avx512, gemm_tn_avx512, gemm_nt_avx512},
#endif
#if defined(__aarch64__)
    [ISA_NEON] = {gemm_nn_neon, gemm_tn_neon, gemm_nt_neon},
#endif
};

void gemm_nn(size_t m, size_t n, size_t k, const float *a, size_t lda,
             const float *b, size_t ldb, float *c, size_t ldc, int accumulate)
{
    PATHS[gemm_isa()].nn(m, n, k, a, lda, b, ldb, c, ldc, accumulate);
}

void gemm_tn(size_t m, size_t n, size_t k, const float *a, size_t lda,
             const float *b, size_t ldb, float *c, size_t ldc, int accumulate)
{
    PATHS[gemm_isa()].tn(m, n, k, a, lda, b, ldb, c, ldc, accumulate);
}

void gemm_nt(size_t m, size_t n, size_t k, const float *a, size_t lda,
             const float *b, size_t ldb, float *c, size_t ldc, int accumulate)
{
    PATHS[gemm_isa()].nt(m, n, k, a, lda, b, ldb, c, ldc, accumulate);
}
