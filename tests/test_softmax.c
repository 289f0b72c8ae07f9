/* Tests of the Part 1 softmax classifier: a hand-computed step, central
 * differences with and without the "as reported" gradient, bit-identical
 * results on every gemm path, initialisation, and bad arguments. */
#include "softmax.h"

#include "err.h"
#include "gemm.h"
#include "rng.h"

#include "testutil.h"

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers -------------------------------------------------------------- */

static SoftmaxModel *new_model(size_t n_in, size_t n_out, size_t max_batch, uint64_t seed)
{
    char err[ERR_MAX];
    Rng r;
    rng_seed(&r, seed, RNG_STREAM_INIT);
    SoftmaxModel *m = softmax_model_new(n_in, n_out, max_batch, &r, err);
    ck_assert_msg(m != NULL, "%s", err);
    return m;
}


/* ---- hand-computed case --------------------------------------------------- */

/* 2 samples, 3 inputs, 2 classes, lambda = 0.5:
 *
 *   W = [[0.5 -0.5], [1 0], [0 1]]    x1 = [1 1 0] label 0    x2 = [0 1 1] label 1
 *
 *   scores  s1 = [1.5 -0.5]   s2 = [1 1]
 *   softmax p1 = [1/(1+e^-2), e^-2/(1+e^-2)] = [0.880797078, 0.119202922]
 *           p2 = [0.5 0.5]
 *   CE      -ln p1[0] = ln(1 + e^-2) = 0.126928011,  -ln p2[1] = ln 2 = 0.693147181
 *           mean = 0.410037596
 *   penalty (0.5/2) * (0.25 + 0.25 + 1 + 1) = 0.625
 *   loss    1.035037596
 *   correct sample 1 (argmax 0 = label); sample 2 ties, the first max (0)
 *           wins and misses label 1: 1 correct
 *
 *   D = (P - T)/2 = [[-0.059601461  0.059601461], [0.25 -0.25]]
 *   X^T D = [[-0.059601461  0.059601461],      row 0 = D1
 *            [ 0.190398539 -0.190398539],      row 1 = D1 + D2
 *            [ 0.25        -0.25       ]]      row 2 = D2
 *   + lambda W = [[0.25 -0.25], [0.5 0], [0 0.5]] gives the full gradient
 *           [[0.190398539 -0.190398539], [0.690398539 -0.190398539], [0.25 0.25]]
 *   SGD, lr 0.1: W - 0.1 grad = [[0.480960146 -0.480960146],
 *                                [0.930960146  0.019039854], [-0.025 0.975]] */
static const float HAND_W[6] = {0.5f, -0.5f, 1.0f, 0.0f, 0.0f, 1.0f};
static const float HAND_X[6] = {1, 1, 0, 0, 1, 1};
static const uint8_t HAND_LABELS[2] = {0, 1};

START_TEST(test_hand_computed_step)
{
    SoftmaxModel *m = new_model(3, 2, 2, 1);
    memcpy(softmax_model_weights(m), HAND_W, sizeof HAND_W);
    size_t correct = 99;
    double loss = softmax_model_forward(m, HAND_X, HAND_LABELS, 2, 0.5, 0, &correct);
    ck_assert_double_eq_tol(loss, 1.035037596, 1e-6);
    ck_assert_uint_eq(correct, 1);
    /* ||W||^2 = 2.5: (0.5 / 2) * 2.5, and as reported (0.5 / 2) * sqrt(2.5) */
    ck_assert_double_eq_tol(softmax_model_penalty(m, 0.5, 0), 0.625, 1e-12);
    ck_assert_double_eq_tol(softmax_model_penalty(m, 0.5, 1), 0.395284708, 1e-9);
    double reported_loss = softmax_model_forward(m, HAND_X, HAND_LABELS, 2, 0.5, 1, &correct);
    ck_assert_double_eq_tol(reported_loss, 1.035037596 - 0.625 + 0.395284708, 1e-6);
    softmax_model_forward(m, HAND_X, HAND_LABELS, 2, 0.5, 0, &correct);

    const float full[6] = {0.190398539f, -0.190398539f, 0.690398539f,
                           -0.190398539f, 0.25f, 0.25f};
    const float reported[6] = {-0.059601461f, 0.059601461f, 0.190398539f,
                               -0.190398539f, 0.25f, -0.25f};
    const float *g = softmax_model_grad(m);
    softmax_model_backward(m, HAND_X, 0.5, 1);
    for (size_t i = 0; i < 6; i++)
        ck_assert_float_eq_tol(g[i], reported[i], 1e-6f);
    softmax_model_backward(m, HAND_X, 0.5, 0);
    for (size_t i = 0; i < 6; i++)
        ck_assert_float_eq_tol(g[i], full[i], 1e-6f);

    softmax_model_sgd(m, 0.1f);
    const float after[6] = {0.480960146f, -0.480960146f, 0.930960146f,
                            0.019039854f, -0.025f, 0.975f};
    const float *w = softmax_model_weights(m);
    for (size_t i = 0; i < 6; i++)
        ck_assert_float_eq_tol(w[i], after[i], 1e-6f);
    softmax_model_free(m);
}
END_TEST

/* ---- gradient checks ------------------------------------------------------ */

enum { GN = 6, GIN = 5, GOUT = 4 };

typedef struct {
    SoftmaxModel *m;
    float x[GN * GIN];
    uint8_t labels[GN];
    double lambda;
} GradCase;

static double model_loss(void *ctx)
{
    GradCase *c = ctx;
    size_t correct;
    return softmax_model_forward(c->m, c->x, c->labels, GN, c->lambda, 0, &correct);
}

static void grad_case(GradCase *c, double lambda)
{
    Rng r;
    rng_seed(&r, 77, 3);
    c->m = new_model(GIN, GOUT, GN, 5);
    /* weights large enough that the probabilities are far from uniform */
    tu_fill_normal(softmax_model_weights(c->m), GIN * GOUT, 0.7f, &r);
    tu_fill_normal(c->x, GN * GIN, 1.0f, &r);
    tu_fill_labels(c->labels, GN, GOUT, &r);
    c->lambda = lambda;
}

START_TEST(test_gradient_check_with_lambda)
{
    GradCase c;
    grad_case(&c, 0.3);
    size_t correct;
    softmax_model_forward(c.m, c.x, c.labels, GN, c.lambda, 0, &correct);
    softmax_model_backward(c.m, c.x, c.lambda, 0);
    float g[GIN * GOUT];
    memcpy(g, softmax_model_grad(c.m), sizeof g);
    char why[256];
    ck_assert_msg(tu_gradient_matches(softmax_model_weights(c.m), g, GIN * GOUT, model_loss, &c,
                                   1e-3, 1e-2, 1e-4, why),
                  "%s", why);
    softmax_model_free(c.m);
}
END_TEST

START_TEST(test_as_reported_drops_exactly_lambda_w)
{
    GradCase c;
    grad_case(&c, 0.3);
    float *w = softmax_model_weights(c.m);
    size_t c1, c2;
    double loss_full = softmax_model_forward(c.m, c.x, c.labels, GN, c.lambda, 0, &c1);
    softmax_model_backward(c.m, c.x, c.lambda, 0);
    float full[GIN * GOUT];
    memcpy(full, softmax_model_grad(c.m), sizeof full);
    double loss_rep = softmax_model_forward(c.m, c.x, c.labels, GN, c.lambda, 1, &c2);
    softmax_model_backward(c.m, c.x, c.lambda, 1);
    float rep[GIN * GOUT];
    memcpy(rep, softmax_model_grad(c.m), sizeof rep);

    /* the loss trades (lambda/2) ||W||^2 for (lambda/2) ||W||, the original's
     * unsquared norm; the gradient moves by exactly (float)lambda * W */
    double sq = 0.0;
    for (size_t i = 0; i < GIN * GOUT; i++)
        sq += (double)w[i] * w[i];
    ck_assert(fabs(sq - 1.0) > 0.1); /* ||W|| and ||W||^2 tell apart */
    ck_assert_double_eq_tol(loss_full - c.lambda / 2 * sq, loss_rep - c.lambda / 2 * sqrt(sq),
                            1e-12);
    ck_assert_uint_eq(c1, c2);
    float lam = (float)c.lambda;
    size_t differ = 0;
    for (size_t i = 0; i < GIN * GOUT; i++) {
        float decay = lam * w[i];
        float want = rep[i] + decay;
        ck_assert_msg(memcmp(&want, &full[i], sizeof want) == 0, "element %zu", i);
        differ += rep[i] != full[i];
    }
    ck_assert_uint_eq(differ, GIN * GOUT);

    /* the as-reported gradient is that of the cross-entropy alone */
    c.lambda = 0.0;
    char why[256];
    ck_assert_msg(tu_gradient_matches(w, rep, GIN * GOUT, model_loss, &c, 1e-3, 1e-2, 1e-4, why),
                  "%s", why);
    c.lambda = 0.3;
    ck_assert(!tu_gradient_matches(w, rep, GIN * GOUT, model_loss, &c, 1e-3, 1e-2, 1e-4, why));
    softmax_model_free(c.m);
}
END_TEST

/* ---- evaluation ----------------------------------------------------------- */

START_TEST(test_evaluate_matches_forward_in_any_block_size)
{
    enum { N = 23, IN = 9, OUT = 10 };
    Rng r;
    rng_seed(&r, 3, 3);
    float x[N * IN];
    uint8_t labels[N];
    tu_fill_normal(x, N * IN, 1.0f, &r);
    tu_fill_labels(labels, N, OUT, &r);
    SoftmaxModel *big = new_model(IN, OUT, N, 8);
    SoftmaxModel *small = new_model(IN, OUT, 4, 8);
    tu_fill_normal(softmax_model_weights(big), IN * OUT, 0.5f, &r);
    memcpy(softmax_model_weights(small), softmax_model_weights(big), IN * OUT * sizeof(float));
    char err[ERR_MAX];
    double s_big = 0.0, s_small = 0.0;
    size_t c_big = 0, c_small = 0;
    ck_assert_int_eq(softmax_model_evaluate(big, x, labels, N, &s_big, &c_big, err), 0);
    ck_assert_int_eq(softmax_model_evaluate(small, x, labels, N, &s_small, &c_small, err), 0);
    ck_assert(memcmp(&s_big, &s_small, sizeof s_big) == 0);
    ck_assert_uint_eq(c_big, c_small);
    ck_assert(c_big > 0 && c_big < N);
    /* forward's loss is the evaluated mean plus the penalty, bit for bit */
    size_t correct;
    double loss = softmax_model_forward(big, x, labels, N, 0.2, 0, &correct);
    double want = s_big / N + softmax_model_penalty(big, 0.2, 0);
    ck_assert(memcmp(&loss, &want, sizeof loss) == 0);
    ck_assert_uint_eq(correct, c_big);
    /* evaluate adds to what it is given */
    double s = 1.5;
    size_t c = 7;
    ck_assert_int_eq(softmax_model_evaluate(small, x, labels, N, &s, &c, err), 0);
    ck_assert_double_eq_tol(s, 1.5 + s_big, 1e-12);
    ck_assert_uint_eq(c, 7 + c_big);
    softmax_model_free(big);
    softmax_model_free(small);
}
END_TEST

/* ---- initialisation ------------------------------------------------------- */

START_TEST(test_init_statistics_and_determinism)
{
    enum { IN = 784, OUT = 10 };
    SoftmaxModel *a = new_model(IN, OUT, 100, 42);
    SoftmaxModel *b = new_model(IN, OUT, 100, 42);
    SoftmaxModel *c = new_model(IN, OUT, 100, 43);
    const float *w = softmax_model_weights(a);
    size_t count = (size_t)IN * OUT;
    ck_assert_int_eq(memcmp(w, softmax_model_weights(b), count * sizeof *w), 0);
    ck_assert_int_ne(memcmp(w, softmax_model_weights(c), count * sizeof *w), 0);
    double sum = 0.0, sq = 0.0;
    for (size_t i = 0; i < count; i++) {
        sum += w[i];
        sq += (double)w[i] * w[i];
    }
    double mean = sum / count, sd = sqrt(sq / count - mean * mean);
    /* 5 standard errors: mean 0.001/sqrt(7840), sd 0.001/sqrt(2 * 7840) */
    ck_assert_double_le(fabs(mean), 5 * 0.001 / sqrt((double)count));
    ck_assert_double_le(fabs(sd - 0.001), 5 * 0.001 / sqrt(2.0 * count));
    /* the order is row-major draws from the given generator */
    Rng r;
    rng_seed(&r, 42, RNG_STREAM_INIT);
    for (size_t i = 0; i < count; i++) {
        float v = rng_normal(&r) * 0.001f;
        ck_assert_msg(memcmp(&v, &w[i], sizeof v) == 0, "w[%zu]", i);
    }
    ck_assert_uint_eq(softmax_model_inputs(a), IN);
    ck_assert_uint_eq(softmax_model_classes(a), OUT);
    ck_assert_uint_eq(softmax_model_max_batch(a), 100);
    softmax_model_free(a);
    softmax_model_free(b);
    softmax_model_free(c);
}
END_TEST

/* ---- bit-identical on every gemm path ------------------------------------- */

/* Runs three SGD steps from a fixed seed; returns the losses and final W. */
static void train_steps(size_t n_in, size_t n_out, size_t n, int as_reported, double *losses,
                        float *w_out)
{
    Rng r;
    rng_seed(&r, 9, 7);
    float *x = malloc(n * n_in * sizeof *x);
    uint8_t *labels = malloc(n);
    ck_assert(x && labels);
    for (size_t i = 0; i < n * n_in; i++)
        x[i] = rng_uniform(&r);
    tu_fill_labels(labels, n, (uint32_t)n_out, &r);
    SoftmaxModel *m = new_model(n_in, n_out, n, 4);
    for (int step = 0; step < 3; step++) {
        size_t correct;
        losses[step] = softmax_model_forward(m, x, labels, n, 0.2, as_reported, &correct);
        softmax_model_backward(m, x, 0.2, as_reported);
        softmax_model_sgd(m, 0.01f);
    }
    memcpy(w_out, softmax_model_weights(m), n_in * n_out * sizeof *w_out);
    softmax_model_free(m);
    free(x);
    free(labels);
}

START_TEST(test_every_gemm_path_gives_the_same_bits)
{
    /* the homework's shape and an odd one that leaves remainders everywhere */
    const size_t shapes[2][3] = {{784, 10, 100}, {37, 13, 29}};
    for (size_t s = 0; s < 2; s++) {
        size_t n_in = shapes[s][0], n_out = shapes[s][1], n = shapes[s][2];
        for (int rep = 0; rep < 2; rep++) {
            double ref_loss[3], loss[3];
            float *ref_w = malloc(n_in * n_out * sizeof *ref_w);
            float *w = malloc(n_in * n_out * sizeof *w);
            ck_assert(ref_w && w);
            ck_assert_int_eq(gemm_force(ISA_SCALAR), 0);
            train_steps(n_in, n_out, n, rep, ref_loss, ref_w);
            ck_assert_msg(isfinite(ref_loss[2]) && ref_loss[2] < ref_loss[0], "losses %g %g %g",
                          ref_loss[0], ref_loss[1], ref_loss[2]);
            for (Isa isa = ISA_SCALAR; isa < ISA_COUNT; isa++) {
                if (!isa_supported(isa))
                    continue;
                ck_assert_int_eq(gemm_force(isa), 0);
                train_steps(n_in, n_out, n, rep, loss, w);
                ck_assert_msg(memcmp(loss, ref_loss, sizeof loss) == 0, "%s: losses differ",
                              isa_name(isa));
                ck_assert_msg(memcmp(w, ref_w, n_in * n_out * sizeof *w) == 0,
                              "%s: weights differ", isa_name(isa));
            }
            free(ref_w);
            free(w);
        }
    }
    ck_assert_int_eq(gemm_select(NULL), 0);
}
END_TEST

/* ---- errors --------------------------------------------------------------- */

START_TEST(test_new_rejects_bad_sizes)
{
    char err[ERR_MAX];
    Rng r;
    rng_seed(&r, 1, 1);
    const size_t bad[][3] = {
        {0, 10, 100}, {784, 0, 100}, {784, 10, 0}, {784, 257, 100},
        {SIZE_MAX / 2, 10, 100}, {784, 10, SIZE_MAX / 4}, {SIZE_MAX / 16, 3, 1},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        SoftmaxModel *m = softmax_model_new(bad[i][0], bad[i][1], bad[i][2], &r, err);
        ck_assert_msg(m == NULL, "case %zu accepted", i);
        ck_assert_msg(strncmp(err, "softmax: ", 9) == 0, "case %zu: '%s'", i, err);
    }
    /* the edges that are fine */
    SoftmaxModel *m = softmax_model_new(1, 256, 1, &r, err);
    ck_assert_msg(m != NULL, "%s", err);
    softmax_model_free(m);
    softmax_model_free(NULL);
}
END_TEST

START_TEST(test_forward_rejects_bad_batches)
{
    SoftmaxModel *m = new_model(3, 2, 2, 1);
    memcpy(softmax_model_weights(m), HAND_W, sizeof HAND_W);
    size_t correct = 5;
    ck_assert(isnan(softmax_model_forward(m, HAND_X, HAND_LABELS, 0, 0.5, 0, &correct)));
    ck_assert_uint_eq(correct, 0);
    const float x3[9] = {1, 1, 0, 0, 1, 1, 1, 0, 1};
    const uint8_t l3[3] = {0, 1, 0};
    correct = 5;
    ck_assert(isnan(softmax_model_forward(m, x3, l3, 3, 0.5, 0, &correct)));
    ck_assert_uint_eq(correct, 0);
    const uint8_t bad_label[2] = {0, 2};
    ck_assert(isnan(softmax_model_forward(m, HAND_X, bad_label, 2, 0.5, 0, &correct)));

    /* backward after a failed forward leaves the gradient alone, even when an
     * earlier forward had succeeded */
    ck_assert(isfinite(softmax_model_forward(m, HAND_X, HAND_LABELS, 2, 0.5, 0, &correct)));
    softmax_model_backward(m, HAND_X, 0.5, 0);
    float g[6];
    memcpy(g, softmax_model_grad(m), sizeof g);
    ck_assert(isnan(softmax_model_forward(m, HAND_X, bad_label, 2, 0.5, 0, &correct)));
    softmax_model_backward(m, x3, 0.0, 1);
    ck_assert_int_eq(memcmp(g, softmax_model_grad(m), sizeof g), 0);

    char err[ERR_MAX];
    double sum = 2.0;
    correct = 3;
    ck_assert_int_eq(softmax_model_evaluate(m, HAND_X, bad_label, 2, &sum, &correct, err), -1);
    ck_assert_str_eq(err, "softmax: label 2 of row 1 is not below 2 classes");
    ck_assert(sum == 2.0);
    ck_assert_uint_eq(correct, 3);
    /* evaluating nothing adds nothing */
    ck_assert_int_eq(softmax_model_evaluate(m, HAND_X, HAND_LABELS, 0, &sum, &correct, err), 0);
    ck_assert(sum == 2.0);
    ck_assert_uint_eq(correct, 3);
    softmax_model_free(m);
}
END_TEST

Suite *softmax_suite(void);
Suite *softmax_suite(void)
{
    Suite *s = suite_create("softmax");
    TCase *core = tcase_create("core");
    tcase_set_timeout(core, 60);
    tcase_add_test(core, test_hand_computed_step);
    tcase_add_test(core, test_gradient_check_with_lambda);
    tcase_add_test(core, test_as_reported_drops_exactly_lambda_w);
    tcase_add_test(core, test_evaluate_matches_forward_in_any_block_size);
    tcase_add_test(core, test_init_statistics_and_determinism);
    tcase_add_test(core, test_every_gemm_path_gives_the_same_bits);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, test_new_rejects_bad_sizes);
    tcase_add_test(errors, test_forward_rejects_bad_batches);
    suite_add_tcase(s, errors);
    return s;
}
