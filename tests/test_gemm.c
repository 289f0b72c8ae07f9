#include "gemm.h"

#include "err.h"
#include "rng.h"

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef void GemmFn(size_t m, size_t n, size_t k, const float *a, size_t lda, const float *b,
                    size_t ldb, float *c, size_t ldc, int accumulate);

typedef enum { FORM_NN, FORM_TN, FORM_NT } Form;

static const char *const FORM_NAMES[] = {"nn", "tn", "nt"};
static GemmFn *const REF[] = {gemm_nn_ref, gemm_tn_ref, gemm_nt_ref};
static GemmFn *const DISPATCH[] = {gemm_nn, gemm_tn, gemm_nt};

/* Random sign, 24-bit mantissa and an exponent in [-8, 8]: the products and
 * partial sums of such values round at almost every step, so any change of
 * order or a missing fusion shows up in the bits (test_inputs_make_rounding_matter). */
static float rand_float(Rng *r)
{
    float x = ldexpf(1.0f + rng_uniform(r), (int)rng_below(r, 17) - 8);
    return rng_below(r, 2) ? -x : x;
}

/* A rows x cols matrix with leading dimension ld, allocated to end exactly at
 * its last element so that the sanitizer build catches reads past it. The gap
 * between rows is filled too: products must leave it untouched. */
static float *rand_matrix(Rng *r, size_t rows, size_t cols, size_t ld, size_t *len)
{
    size_t n = rows == 0 || cols == 0 ? 0 : (rows - 1) * ld + cols;
    float *x = malloc((n ? n : 1) * sizeof *x);
    ck_assert_ptr_nonnull(x);
    for (size_t i = 0; i < n; i++)
        x[i] = rand_float(r);
    *len = n;
    return x;
}

static float *copy_floats(const float *x, size_t n)
{
    float *y = malloc((n ? n : 1) * sizeof *y);
    ck_assert_ptr_nonnull(y);
    if (n)
        memcpy(y, x, n * sizeof *y);
    return y;
}

/* Runs one product on every path the CPU supports (through the public
 * dispatch) and requires C, gaps included, to equal the reference bit for bit,
 * and A and B to be unchanged. pad is added to every leading dimension. */
static void check_case(Form form, size_t m, size_t n, size_t k, size_t pad, int accumulate)
{
    Rng r;
    rng_seed(&r, 1000003u * m + 1009u * n + 17u * k + 3u * pad + (uint64_t)accumulate,
             (uint64_t)form);
    size_t arows = form == FORM_TN ? k : m, acols = form == FORM_TN ? m : k;
    size_t brows = form == FORM_NT ? n : k, bcols = form == FORM_NT ? k : n;
    size_t lda = acols + pad, ldb = bcols + pad, ldc = n + pad;
    size_t na, nb, nc;
    float *a = rand_matrix(&r, arows, acols, lda, &na);
    float *b = rand_matrix(&r, brows, bcols, ldb, &nb);
    float *c0 = rand_matrix(&r, m, n, ldc, &nc);
    float *a0 = copy_floats(a, na), *b0 = copy_floats(b, nb);
    float *want = copy_floats(c0, nc);
    REF[form](m, n, k, a, lda, b, ldb, want, ldc, accumulate);

    Isa before = gemm_isa();
    for (int i = ISA_SCALAR; i < ISA_COUNT; i++) {
        if (!isa_supported((Isa)i))
            continue;
        ck_assert_int_eq(gemm_force((Isa)i), 0);
        ck_assert_int_eq(gemm_isa(), i);
        float *got = copy_floats(c0, nc);
        DISPATCH[form](m, n, k, a, lda, b, ldb, got, ldc, accumulate);
        ck_assert_msg(nc == 0 || memcmp(got, want, nc * sizeof *got) == 0,
                      "%s %s m=%zu n=%zu k=%zu pad=%zu accumulate=%d differs from the reference",
                      isa_name((Isa)i), FORM_NAMES[form], m, n, k, pad, accumulate);
        ck_assert(na == 0 || memcmp(a, a0, na * sizeof *a) == 0);
        ck_assert(nb == 0 || memcmp(b, b0, nb * sizeof *b) == 0);
        free(got);
    }
    gemm_force(before);
    free(a);
    free(b);
    free(c0);
    free(a0);
    free(b0);
    free(want);
}

/* Odd sizes around the vector widths (8, 16), the tile heights and the
 * narrow-output cut-off (12), and k = 0. */
static const size_t DIMS[] = {1, 3, 7, 12, 13, 15, 16, 17, 31, 33, 48, 100};
static const size_t KS[] = {0, 1, 3, 17, 100};

static void check_odd_shapes(Form form)
{
    for (size_t i = 0; i < sizeof DIMS / sizeof DIMS[0]; i++)
        for (size_t j = 0; j < sizeof DIMS / sizeof DIMS[0]; j++)
            for (size_t p = 0; p < sizeof KS / sizeof KS[0]; p++)
                for (int accumulate = 0; accumulate <= 1; accumulate++)
                    check_case(form, DIMS[i], DIMS[j], KS[p], (i + j + p) % 3 == 0 ? 0 : 5,
                               accumulate);
}

START_TEST(test_nn_odd_shapes)
{
    check_odd_shapes(FORM_NN);
}
END_TEST

START_TEST(test_tn_odd_shapes)
{
    check_odd_shapes(FORM_TN);
}
END_TEST

START_TEST(test_nt_odd_shapes)
{
    check_odd_shapes(FORM_NT);
}
END_TEST

/* The layer sizes the trainers use (784-10, 784-128, 784-512, 512-128, 128-10)
 * at batch sizes 16-100, in the three roles: forward (nn), weight gradient
 * (tn, summed over the batch) and input gradient (nt). */
START_TEST(test_trainer_shapes)
{
    static const size_t LAYERS[][2] = {{784, 10}, {784, 128}, {784, 512}, {512, 128}, {128, 10}};
    static const size_t BATCH[] = {16, 100, 33, 64, 100};
    for (size_t l = 0; l < sizeof LAYERS / sizeof LAYERS[0]; l++) {
        size_t in = LAYERS[l][0], out = LAYERS[l][1], bs = BATCH[l];
        check_case(FORM_NN, bs, out, in, 0, 0);
        check_case(FORM_TN, in, out, bs, 0, l % 2);
        check_case(FORM_NT, bs, in, out, 0, 0);
    }
}
END_TEST

/* Past the blocking: k over several 256-long chunks of the summed index (the
 * chain continues through C), m over several 128-row blocks, padded rows; and
 * an input gradient at a small batch (nt, m <= 32), which the AVX2 path
 * computes transposed in blocks of 192 columns of C. */
START_TEST(test_blocked_shapes)
{
    for (int form = FORM_NN; form <= FORM_NT; form++) {
        check_case((Form)form, 130, 50, 513, 7, 0);
        check_case((Form)form, 257, 19, 300, 1, 1);
        check_case((Form)form, 129, 11, 257, 0, 1);
    }
    check_case(FORM_NT, 16, 400, 128, 3, 1);
    check_case(FORM_NT, 31, 785, 200, 0, 0);
    check_case(FORM_NT, 32, 193, 512, 1, 0);
    check_case(FORM_NT, 16, 300, 513, 0, 1);
}
END_TEST

START_TEST(test_empty_shapes)
{
    for (int form = FORM_NN; form <= FORM_NT; form++)
        for (int accumulate = 0; accumulate <= 1; accumulate++) {
            check_case((Form)form, 0, 7, 5, 0, accumulate);
            check_case((Form)form, 7, 0, 5, 0, accumulate);
            check_case((Form)form, 0, 0, 0, 0, accumulate);
        }
}
END_TEST

/* Worked by hand. 1 + 2^-12 squared is 1 + 2^-11 + 2^-24, which float cannot
 * hold: only a fused product keeps the 2^-24 after adding -1. And the chain
 * 2^24 + 1 - 2^24 goes left to right, so the 1 is lost to rounding (ties to
 * even) before 2^24 is taken away: the answer is 0, where another order gives 1. */
START_TEST(test_reference_by_hand)
{
    float x = 1.0f + ldexpf(1.0f, -12), c = -1.0f;
    gemm_nn_ref(1, 1, 1, &x, 1, &x, 1, &c, 1, 1);
    ck_assert_float_eq(c, ldexpf(1.0f, -11) + ldexpf(1.0f, -24));

    float big[3] = {16777216.0f, 1.0f, -16777216.0f}, ones[3] = {1.0f, 1.0f, 1.0f};
    c = 5.0f;
    gemm_nn_ref(1, 1, 3, big, 3, ones, 1, &c, 1, 0);
    ck_assert_float_eq(c, 0.0f);

    /* A = [1 2 3; 4 5 6] (2 x 3, lda 4), B = [1 0; 0 1; 2 -1] (3 x 2, ldb 3) */
    const float a[] = {1, 2, 3, 99, 4, 5, 6};
    const float b[] = {1, 0, 99, 0, 1, 99, 2, -1};
    float cnn[] = {10, 20, 99, 30, 40};
    gemm_nn_ref(2, 2, 3, a, 4, b, 3, cnn, 3, 1);
    const float want_nn[] = {10 + 7, 20 - 1, 99, 30 + 16, 40 - 1};
    ck_assert_mem_eq(cnn, want_nn, sizeof want_nn);

    /* tn with A^T = [1 2 3; 4 5 6]: A is (3 x 2) */
    const float at[] = {1, 4, 2, 5, 3, 6};
    float ctn[4];
    gemm_tn_ref(2, 2, 3, at, 2, b, 3, ctn, 2, 0);
    const float want_tn[] = {7, -1, 16, -1};
    ck_assert_mem_eq(ctn, want_tn, sizeof want_tn);

    /* nt with B^T = the B above: B is (2 x 3) */
    const float bt[] = {1, 0, 2, 0, 1, -1};
    float cnt[4];
    gemm_nt_ref(2, 2, 3, a, 4, bt, 3, cnt, 2, 0);
    ck_assert_mem_eq(cnt, want_tn, sizeof want_tn);
}
END_TEST

/* The inputs check_case uses are sensitive: an unfused chain, a reversed chain
 * and a chain split in two halves (what vectorising across p would do) all give
 * different bits from the reference on the same data. */
START_TEST(test_inputs_make_rounding_matter)
{
    enum { M = 16, N = 16, K = 100 };
    Rng r;
    rng_seed(&r, 5, 5);
    float a[M * K], b[K * N], c[M * N];
    for (size_t i = 0; i < M * K; i++)
        a[i] = rand_float(&r);
    for (size_t i = 0; i < K * N; i++)
        b[i] = rand_float(&r);
    gemm_nn_ref(M, N, K, a, K, b, N, c, N, 0);
    int unfused = 0, reversed = 0, halves = 0;
    for (size_t i = 0; i < M; i++)
        for (size_t j = 0; j < N; j++) {
            float s = 0.0f, t = 0.0f, h0 = 0.0f, h1 = 0.0f;
            for (size_t p = 0; p < K; p++) {
                s = s + a[i * K + p] * b[p * N + j];
                t = fmaf(a[i * K + K - 1 - p], b[(K - 1 - p) * N + j], t);
                if (p < K / 2)
                    h0 = fmaf(a[i * K + p], b[p * N + j], h0);
                else
                    h1 = fmaf(a[i * K + p], b[p * N + j], h1);
            }
            unfused += s != c[i * N + j];
            reversed += t != c[i * N + j];
            halves += h0 + h1 != c[i * N + j];
        }
    ck_assert_int_gt(unfused, M * N / 4);
    ck_assert_int_gt(reversed, M * N / 4);
    ck_assert_int_gt(halves, M * N / 4);
}
END_TEST

START_TEST(test_select_picks_widest_and_honours_env)
{
    char err[ERR_MAX];
    unsetenv("MNIST_ISA");
    ck_assert_int_eq(gemm_select(err), 0);
    Isa widest = isa_supported(ISA_AVX512) ? ISA_AVX512
                 : isa_supported(ISA_AVX2) ? ISA_AVX2
                 : isa_supported(ISA_NEON) ? ISA_NEON
                                           : ISA_SCALAR;
    ck_assert_int_eq(gemm_isa(), widest);
    ck_assert_str_eq(isa_name(widest), widest == ISA_AVX512 ? "avx512"
                                       : widest == ISA_AVX2 ? "avx2"
                                       : widest == ISA_NEON ? "neon"
                                                            : "scalar");
#if defined(__aarch64__)
    /* every aarch64 CPU has Advanced SIMD, so NEON is the default there */
    ck_assert_int_eq(widest, ISA_NEON);
#endif
#if !defined(__x86_64__)
    ck_assert(!isa_supported(ISA_AVX2) && !isa_supported(ISA_AVX512));
#endif
#if !defined(__aarch64__)
    ck_assert(!isa_supported(ISA_NEON));
#endif
    setenv("MNIST_ISA", "scalar", 1);
    ck_assert_int_eq(gemm_select(err), 0);
    ck_assert_int_eq(gemm_isa(), ISA_SCALAR);
    unsetenv("MNIST_ISA");
    ck_assert_int_eq(gemm_select(err), 0);
}
END_TEST

START_TEST(test_select_rejects_unknown_path)
{
    char err[ERR_MAX];
    setenv("MNIST_ISA", "bogus", 1);
    ck_assert_int_eq(gemm_select(err), -1);
    unsetenv("MNIST_ISA");
    ck_assert_str_eq(err, "gemm: MNIST_ISA='bogus': unknown path (scalar, avx2, avx512, neon)");
}
END_TEST

/* Forcing a path the CPU lacks fails, through gemm_force and MNIST_ISA alike
 * (a CPU with every path has nothing to check here). */
START_TEST(test_select_rejects_missing_path)
{
    char err[ERR_MAX];
    ck_assert_int_eq(isa_supported(ISA_SCALAR), 1);
    for (int i = ISA_AVX2; i < ISA_COUNT; i++) {
        if (isa_supported((Isa)i))
            continue;
        ck_assert_int_eq(gemm_force((Isa)i), -1);
        setenv("MNIST_ISA", isa_name((Isa)i), 1);
        ck_assert_int_eq(gemm_select(err), -1);
        unsetenv("MNIST_ISA");
        ck_assert_ptr_nonnull(strstr(err, "this cpu lacks that path"));
    }
}
END_TEST

Suite *gemm_suite(void);
Suite *gemm_suite(void)
{
    Suite *s = suite_create("gemm");
    TCase *core = tcase_create("core");
    /* the scalar reference over thousands of shapes, slower still with sanitizers */
    tcase_set_timeout(core, 300);
    tcase_add_test(core, test_reference_by_hand);
    tcase_add_test(core, test_inputs_make_rounding_matter);
    tcase_add_test(core, test_nn_odd_shapes);
    tcase_add_test(core, test_tn_odd_shapes);
    tcase_add_test(core, test_nt_odd_shapes);
    tcase_add_test(core, test_trainer_shapes);
    tcase_add_test(core, test_blocked_shapes);
    tcase_add_test(core, test_empty_shapes);
    tcase_add_test(core, test_select_picks_widest_and_honours_env);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, test_select_rejects_unknown_path);
    tcase_add_test(errors, test_select_rejects_missing_path);
    suite_add_tcase(s, errors);
    return s;
}
