/* gemm_paths.h - private to the gemm module and its benchmark: the per-path
 * entry points behind gemm_nn, gemm_tn and gemm_nt.
 *
 * Each product function has the signature and the contract of the public
 * function of the same form in gemm.h (one left-to-right fmaf chain over the
 * summed index per output, bit-identical to gemm_*_ref). Each path is built
 * only for its architecture: the x86-64 ones with their own instruction-set
 * flags (gemm_avx2.c: -mavx2 -mfma; gemm_avx512.c: -mavx512f/vl/bw/dq -mfma),
 * so calling one on a CPU without isa_supported() for its path is an illegal
 * instruction; gemm_neon.c on aarch64, which always has Advanced SIMD. */
#ifndef GEMM_PATHS_H
#define GEMM_PATHS_H

#include <stddef.h>

void gemm_nn_avx2(size_t m, size_t n, size_t k, const float *a, size_t lda,
                  const float *b, size_t ldb, float *c, size_t ldc, int accumulate);
void gemm_tn_avx2(size_t m, size_t n, size_t k, const float *a, size_t lda,
                  const float *b, size_t ldb, float *c, size_t ldc, int accumulate);
void gemm_nt_avx2(size_t m, size_t n, size_t k, const float *a, size_t lda,
                  const float *b, size_t ldb, float *c, size_t ldc, int accumulate);

void gemm_nn_avx512(size_t m, size_t n, size_t k, const float *a, size_t lda,
                    const float *b, size_t ldb, float *c, size_t ldc, int accumulate);
void gemm_tn_avx512(size_t m, size_t n, size_t k, const float *a, size_t lda,
                    const float *b, size_t ldb, float *c, size_t ldc, int accumulate);
void gemm_nt_avx512(size_t m, size_t n, size_t k, const float *a, size_t lda,
                    const float *b, size_t ldb, float *c, size_t ldc, int accumulate);

/* For the benchmark's "peak" line: `iters` rounds of independent vector FMAs
 * that never touch memory, enough of them to cover the FMA latency. Returns
 * the floating-point operations done (2 per lane per FMA); *sink receives a
 * value depending on every chain so the loop cannot be dropped. */
double gemm_peak_avx2(long iters, float *sink);
double gemm_peak_avx512(long iters, float *sink);

void gemm_nn_neon(size_t m, size_t n, size_t k, const float *a, size_t lda,
                  const float *b, size_t ldb, float *c, size_t ldc, int accumulate);
void gemm_tn_neon(size_t m, size_t n, size_t k, const float *a, size_t lda,
                  const float *b, size_t ldb, float *c, size_t ldc, int accumulate);
void gemm_nt_neon(size_t m, size_t n, size_t k, const float *a, size_t lda,
                  const float *b, size_t ldb, float *c, size_t ldc, int accumulate);
double gemm_peak_neon(long iters, float *sink);

#endif
