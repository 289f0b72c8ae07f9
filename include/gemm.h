/* gemm.h - the three matrix products training needs, bit-identical on every path.
 *
 * Numerics contract (see README, "Reproducibility"): every output element is one
 * left-to-right chain of fused multiply-adds over the summed index,
 *
 *     c = (accumulate ? C[i][j] : 0.0f);
 *     for (p = 0; p < k; p++) c = fmaf(a(i, p), b(p, j), c);
 *     C[i][j] = c;
 *
 * whatever the blocking or vector width. Fast paths vectorise across independent
 * outputs (i or j), never across p, so the scalar reference and the AVX2,
 * AVX-512 and NEON paths produce the same bits. All matrices are row-major with
 * explicit leading dimensions (ld >= the row length). k == 0 leaves C as the
 * chain start.
 *
 * Which paths exist depends on the architecture the code is built for: AVX2
 * and AVX-512 on x86-64 (where the CPU is asked at run time), NEON on aarch64
 * (Advanced SIMD is part of every aarch64 CPU Linux runs on), only the scalar
 * reference elsewhere. The path is chosen once, at first use: the widest this
 * machine has; the environment variable MNIST_ISA=scalar|avx2|avx512|neon
 * forces one (a path the CPU or the build lacks is an error reported by
 * gemm_select). A program should call gemm_select at start-up to report that
 * error: gemm_isa() alone falls back to scalar.
 * The per-path functions are private (gemm_paths.h); `make bench` times them
 * against OpenBLAS's sgemm on the trainers' shapes. */
#ifndef GEMM_H
#define GEMM_H

#include <stddef.h>

typedef enum { ISA_SCALAR, ISA_AVX2, ISA_AVX512, ISA_NEON } Isa;
#define ISA_COUNT (ISA_NEON + 1)

/* Name of a path: "scalar", "avx2", "avx512", "neon". */
const char *isa_name(Isa isa);

/* Whether this build and this CPU can run the path (scalar always can; a path
 * of another architecture never can). */
int isa_supported(Isa isa);

/* The machine the code runs on, as uname(2) names it: "x86_64", "aarch64", ...
 * (under qemu-user, the emulated machine). */
const char *isa_machine(void);

/* Picks the path: MNIST_ISA if set (error if unknown or unsupported), else the
 * widest supported. Returns 0, or -1 with a message in err (ERR_MAX bytes). */
int gemm_select(char *err);

/* Forces a path for tests and benchmarks. Returns -1 if the CPU lacks it. */
int gemm_force(Isa isa);

/* The path in use (selecting it with the defaults on first call). */
Isa gemm_isa(void);

/* C (m x n) = [C +] A (m x k) B (k x n).        forward:  y = x W          */
void gemm_nn(size_t m, size_t n, size_t k, const float *a, size_t lda,
             const float *b, size_t ldb, float *c, size_t ldc, int accumulate);

/* C (m x n) = [C +] A^T B, A is (k x m), B is (k x n).  weight grad: dW = x^T dy */
void gemm_tn(size_t m, size_t n, size_t k, const float *a, size_t lda,
             const float *b, size_t ldb, float *c, size_t ldc, int accumulate);

/* C (m x n) = [C +] A B^T, A is (m x k), B is (n x k).  input grad: dx = dy W^T */
void gemm_nt(size_t m, size_t n, size_t k, const float *a, size_t lda,
             const float *b, size_t ldb, float *c, size_t ldc, int accumulate);

/* The scalar reference implementations, always available; the fast paths are
 * tested against these bit for bit. */
void gemm_nn_ref(size_t m, size_t n, size_t k, const float *a, size_t lda,
                 const float *b, size_t ldb, float *c, size_t ldc, int accumulate);
void gemm_tn_ref(size_t m, size_t n, size_t k, const float *a, size_t lda,
                 const float *b, size_t ldb, float *c, size_t ldc, int accumulate);
void gemm_nt_ref(size_t m, size_t n, size_t k, const float *a, size_t lda,
                 const float *b, size_t ldb, float *c, size_t ldc, int accumulate);

#endif
