/* Tests of the layer and loss kernels: hand-computed values, the summation
 * orders the header promises (bit for bit), and central-difference gradient
 * checks of every backward. */
#include "layers.h"

#include "gemm.h"
#include "rng.h"

#include "testutil.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers -------------------------------------------------------------- */

#define CHECK_GRADIENT(p, g, count, f, ctx)                                                \
    do {                                                                                 \
        char why_[256];                                                                  \
        ck_assert_msg(tu_gradient_matches(p, g, count, f, ctx, 1e-3, 1e-2, 1e-4, why_),  \
                      "%s: %s", #g, why_);                                               \
    } while (0)

static double weighted_sum(const float *y, const float *gw, size_t count)
{
    double s = 0.0;
    for (size_t i = 0; i < count; i++)
        s += (double)gw[i] * y[i];
    return s;
}

/* ---- fully connected ------------------------------------------------------ */

enum { FN = 3, FIN = 5, FOUT = 4 };

typedef struct {
    float x[FN * FIN], w[FIN * FOUT], b[FOUT], y[FN * FOUT], gw[FN * FOUT];
} FcCase;

/* L = sum(G * fc(x)), so dL/dy = G. */
static double fc_objective(void *ctx)
{
    FcCase *c = ctx;
    fc_forward(c->y, c->x, c->w, c->b, FN, FIN, FOUT);
    return weighted_sum(c->y, c->gw, FN * FOUT);
}

START_TEST(test_fc_forward_chain_starts_at_bias)
{
    FcCase c;
    Rng r;
    rng_seed(&r, 11, 1);
    tu_fill_normal(c.x, FN * FIN, 1.0f, &r);
    tu_fill_normal(c.w, FIN * FOUT, 1.0f, &r);
    tu_fill_normal(c.b, FOUT, 1.0f, &r);
    fc_forward(c.y, c.x, c.w, c.b, FN, FIN, FOUT);
    for (size_t i = 0; i < FN; i++)
        for (size_t j = 0; j < FOUT; j++) {
            float s = c.b[j];
            for (size_t p = 0; p < FIN; p++)
                s = fmaf(c.x[i * FIN + p], c.w[p * FOUT + j], s);
            ck_assert_msg(memcmp(&s, &c.y[i * FOUT + j], sizeof s) == 0, "y[%zu][%zu]", i, j);
        }
}
END_TEST

START_TEST(test_fc_forward_hand_values)
{
    /* x = [1 2], W = [[1 -1 0.5], [2 0 -1]], b = [0.5 0 -2]:
     * y = [1+4+0.5, -1+0+0, 0.5-2-2] = [5.5, -1, -3.5] */
    const float x[2] = {1, 2}, w[6] = {1, -1, 0.5f, 2, 0, -1}, b[3] = {0.5f, 0, -2};
    float y[3];
    fc_forward(y, x, w, b, 1, 2, 3);
    ck_assert_float_eq(y[0], 5.5f);
    ck_assert_float_eq(y[1], -1.0f);
    ck_assert_float_eq(y[2], -3.5f);
}
END_TEST

START_TEST(test_fc_backward_orders_and_skip)
{
    FcCase c;
    Rng r;
    rng_seed(&r, 12, 1);
    tu_fill_normal(c.x, FN * FIN, 1.0f, &r);
    tu_fill_normal(c.w, FIN * FOUT, 1.0f, &r);
    tu_fill_normal(c.gw, FN * FOUT, 1.0f, &r);
    float dw[FIN * FOUT], db[FOUT], dx[FN * FIN], ref[FIN * FOUT];
    /* stale values must be overwritten, not accumulated */
    for (size_t i = 0; i < FIN * FOUT; i++)
        dw[i] = 100.0f;
    for (size_t j = 0; j < FOUT; j++)
        db[j] = 100.0f;
    fc_backward(dx, dw, db, c.gw, c.x, c.w, FN, FIN, FOUT);
    gemm_tn_ref(FIN, FOUT, FN, c.x, FIN, c.gw, FOUT, ref, FOUT, 0);
    ck_assert_int_eq(memcmp(dw, ref, sizeof dw), 0);
    gemm_nt_ref(FN, FIN, FOUT, c.gw, FOUT, c.w, FOUT, ref, FIN, 0);
    ck_assert_int_eq(memcmp(dx, ref, sizeof dx), 0); /* ref holds FN * FIN here */
    for (size_t j = 0; j < FOUT; j++) {
        float s = 0.0f;
        for (size_t i = 0; i < FN; i++)
            s += c.gw[i * FOUT + j];
        ck_assert_msg(memcmp(&s, &db[j], sizeof s) == 0, "db[%zu]", j);
    }
    /* NULL dx (first layer): the weight gradients are still produced */
    float dw2[FIN * FOUT], db2[FOUT];
    fc_backward(NULL, dw2, db2, c.gw, c.x, c.w, FN, FIN, FOUT);
    ck_assert_int_eq(memcmp(dw, dw2, sizeof dw), 0);
    ck_assert_int_eq(memcmp(db, db2, sizeof db), 0);
}
END_TEST

START_TEST(test_fc_gradient_check)
{
    FcCase c;
    Rng r;
    rng_seed(&r, 13, 1);
    tu_fill_normal(c.x, FN * FIN, 1.0f, &r);
    tu_fill_normal(c.w, FIN * FOUT, 1.0f, &r);
    tu_fill_normal(c.b, FOUT, 1.0f, &r);
    tu_fill_normal(c.gw, FN * FOUT, 1.0f, &r);
    float dw[FIN * FOUT], db[FOUT], dx[FN * FIN];
    fc_backward(dx, dw, db, c.gw, c.x, c.w, FN, FIN, FOUT);
    CHECK_GRADIENT(c.w, dw, FIN * FOUT, fc_objective, &c);
    CHECK_GRADIENT(c.b, db, FOUT, fc_objective, &c);
    CHECK_GRADIENT(c.x, dx, FN * FIN, fc_objective, &c);
}
END_TEST

/* ---- activations ---------------------------------------------------------- */

enum { AN = 24 };

typedef struct {
    float x[AN], y[AN], gw[AN];
    int sigmoid;
} ActCase;

static double act_objective(void *ctx)
{
    ActCase *c = ctx;
    if (c->sigmoid)
        sigmoid_forward(c->y, c->x, AN);
    else
        relu_forward(c->y, c->x, AN);
    return weighted_sum(c->y, c->gw, AN);
}

/* Inputs at least 0.1 away from 0, so a step of 1e-3 never crosses ReLU's kink. */
static void act_case(ActCase *c, int sigmoid, uint64_t seed)
{
    Rng r;
    rng_seed(&r, seed, 1);
    for (size_t i = 0; i < AN; i++) {
        float v = rng_normal(&r) * 2.0f;
        c->x[i] = v >= 0 ? v + 0.1f : v - 0.1f;
    }
    tu_fill_normal(c->gw, AN, 1.0f, &r);
    c->sigmoid = sigmoid;
}

START_TEST(test_relu_values)
{
    const float x[6] = {-2.0f, -0.0f, 0.0f, 1e-30f, 3.5f, NAN};
    const float dy[6] = {1, 2, 3, 4, 5, 6};
    float y[6], dx[6];
    relu_forward(y, x, 6);
    ck_assert_float_eq(y[0], 0.0f);
    ck_assert_float_eq(y[1], 0.0f);
    ck_assert_float_eq(y[2], 0.0f);
    ck_assert_float_eq(y[3], 1e-30f);
    ck_assert_float_eq(y[4], 3.5f);
    ck_assert(isnan(y[5]));
    relu_backward(dx, dy, x, 6);
    /* derivative 1 only where x > 0: zero at x = 0 */
    const float want[6] = {0, 0, 0, 4, 5, 0};
    for (size_t i = 0; i < 6; i++)
        ck_assert_float_eq(dx[i], want[i]);
}
END_TEST

START_TEST(test_sigmoid_values)
{
    const float x[3] = {0.0f, 100.0f, -100.0f};
    float y[3], dx[3];
    const float dy[3] = {2.0f, 1.0f, 1.0f};
    sigmoid_forward(y, x, 3);
    ck_assert_float_eq(y[0], 0.5f);
    ck_assert_float_eq(y[1], 1.0f);
    ck_assert(y[2] >= 0.0f && y[2] < 1e-40f);
    sigmoid_backward(dx, dy, y, 3);
    ck_assert_float_eq(dx[0], 0.5f); /* 2 * 0.5 * (1 - 0.5) */
    ck_assert_float_eq(dx[1], 0.0f);
    /* in place */
    float d[3] = {2.0f, 1.0f, 1.0f};
    sigmoid_backward(d, d, y, 3);
    ck_assert_int_eq(memcmp(d, dx, sizeof d), 0);
}
END_TEST

START_TEST(test_relu_gradient_check)
{
    ActCase c;
    act_case(&c, 0, 21);
    float y[AN], dx[AN];
    relu_forward(y, c.x, AN);
    relu_backward(dx, c.gw, c.x, AN);
    CHECK_GRADIENT(c.x, dx, AN, act_objective, &c);
}
END_TEST

START_TEST(test_sigmoid_gradient_check)
{
    ActCase c;
    act_case(&c, 1, 22);
    float y[AN], dx[AN];
    sigmoid_forward(y, c.x, AN);
    sigmoid_backward(dx, c.gw, y, AN);
    CHECK_GRADIENT(c.x, dx, AN, act_objective, &c);
}
END_TEST

/* ---- softmax and losses --------------------------------------------------- */

START_TEST(test_softmax_rows_values)
{
    /* row 0: all equal -> 1/4 each; row 1 = row 2 + 1024: the shifted values
     * are the same exactly, so the probabilities are the same bits; row 3:
     * logits far apart must not overflow. */
    const float y[16] = {3, 3, 3, 3, 1, 2, 3, 4, 1025, 1026, 1027, 1028, 0, 200, -200, 90};
    float p[16];
    softmax_rows(p, y, 4, 4);
    for (size_t j = 0; j < 4; j++)
        ck_assert_float_eq(p[j], 0.25f);
    ck_assert_int_eq(memcmp(p + 4, p + 8, 4 * sizeof *p), 0);
    for (size_t i = 1; i < 4; i++) {
        double s = 0.0;
        for (size_t j = 0; j < 4; j++) {
            ck_assert(isfinite(p[i * 4 + j]) && p[i * 4 + j] >= 0.0f);
            s += p[i * 4 + j];
        }
        ck_assert_double_eq_tol(s, 1.0, 1e-6);
    }
    ck_assert(p[4] < p[5] && p[5] < p[6] && p[6] < p[7]);
    ck_assert_float_eq(p[13], 1.0f);
    ck_assert_float_eq(p[14], 0.0f);
    /* in place */
    float q[16];
    memcpy(q, y, sizeof q);
    softmax_rows(q, q, 4, 4);
    ck_assert_int_eq(memcmp(p, q, sizeof q), 0);
}
END_TEST

START_TEST(test_euclidean_hand_values)
{
    /* y = [[1 2], [0.5 0]], labels [0, 0]: d = [[0 2], [-0.5 0]];
     * per row 1/2||d||^2 = 2 and 0.125, sum 2.125 (added to a running 1.0);
     * dy = d / 2 = [[0 1], [-0.25 0]] */
    const float y[4] = {1, 2, 0.5f, 0};
    const uint8_t labels[2] = {0, 0};
    float dy[4];
    double sum = 1.0;
    euclidean_loss(dy, &sum, y, labels, 2, 2);
    ck_assert_double_eq_tol(sum, 3.125, 1e-12);
    ck_assert_float_eq(dy[0], 0.0f);
    ck_assert_float_eq(dy[1], 1.0f);
    ck_assert_float_eq(dy[2], -0.25f);
    ck_assert_float_eq(dy[3], 0.0f);
    double sum2 = 1.0;
    euclidean_loss(NULL, &sum2, y, labels, 2, 2);
    ck_assert(sum2 == sum);
}
END_TEST

START_TEST(test_cross_entropy_hand_values)
{
    /* row 0: equal logits, label 2 -> loss ln 4, p = 1/4, dy = (p - t) / 2;
     * row 1: label 0 far below the max: p[0] underflows to 0, yet the loss
     * ln(1 + e^-200) + 200 = 200 stays finite. */
    const float y[8] = {0, 0, 0, 0, 0, 200, -10, -10};
    const uint8_t labels[2] = {2, 0};
    float p[8], dy[8];
    double sum = 0.0;
    softmax_ce_loss(dy, p, &sum, y, labels, 2, 4);
    ck_assert_double_eq_tol(sum, log(4.0) + 200.0, 1e-5);
    ck_assert_float_eq(p[4], 0.0f);
    ck_assert_float_eq(dy[0], 0.125f);
    ck_assert_float_eq(dy[2], -0.375f);
    ck_assert_float_eq(dy[4], -0.5f); /* (0 - 1) / 2 */
    ck_assert_float_eq(dy[5], 0.5f);  /* (1 - 0) / 2 */
    /* the same block fed as two blocks gives the same running sum */
    double split = 0.0;
    softmax_ce_loss(NULL, p, &split, y, labels, 1, 4);
    softmax_ce_loss(NULL, p + 4, &split, y + 4, labels + 1, 1, 4);
    ck_assert(split == sum);
}
END_TEST

START_TEST(test_argmax_first_max_wins)
{
    const float y[12] = {1, 3, 3, /* tie: 1 */ 5, 5, 5, /* tie: 0 */
                         NAN, 2, 1, /* NaN never wins past column 0 */ -1, -2, 4};
    const uint8_t right[4] = {1, 0, 0, 2};
    const uint8_t wrong[4] = {2, 1, 1, 0};
    ck_assert_uint_eq(argmax_correct(y, right, 4, 3), 4);
    ck_assert_uint_eq(argmax_correct(y, wrong, 4, 3), 0);
}
END_TEST

enum { LN = 4, LK = 5 };

typedef struct {
    float y[LN * LK], p[LN * LK];
    uint8_t labels[LN];
    int ce;
} LossCase;

static double loss_objective(void *ctx)
{
    LossCase *c = ctx;
    double sum = 0.0;
    if (c->ce)
        softmax_ce_loss(NULL, c->p, &sum, c->y, c->labels, LN, LK);
    else
        euclidean_loss(NULL, &sum, c->y, c->labels, LN, LK);
    return sum / LN;
}

static void loss_gradient_check(int ce, uint64_t seed)
{
    LossCase c = {.ce = ce};
    Rng r;
    rng_seed(&r, seed, 1);
    tu_fill_normal(c.y, LN * LK, 2.0f, &r);
    for (size_t i = 0; i < LN; i++)
        c.labels[i] = (uint8_t)rng_below(&r, LK);
    float dy[LN * LK];
    double sum = 0.0;
    if (ce)
        softmax_ce_loss(dy, c.p, &sum, c.y, c.labels, LN, LK);
    else
        euclidean_loss(dy, &sum, c.y, c.labels, LN, LK);
    ck_assert_double_eq_tol(sum / LN, loss_objective(&c), 1e-12);
    CHECK_GRADIENT(c.y, dy, LN * LK, loss_objective, &c);
}

START_TEST(test_euclidean_gradient_check)
{
    loss_gradient_check(0, 31);
}
END_TEST

START_TEST(test_cross_entropy_gradient_check)
{
    loss_gradient_check(1, 32);
}
END_TEST

/* ---- errors: the checker itself must be able to fail ---------------------- */

/* A deliberately wrong gradient (fc's dW scaled by 1.05) must be rejected. */
START_TEST(test_gradient_check_rejects_wrong_gradient)
{
    FcCase c;
    Rng r;
    rng_seed(&r, 13, 1);
    tu_fill_normal(c.x, FN * FIN, 1.0f, &r);
    tu_fill_normal(c.w, FIN * FOUT, 1.0f, &r);
    tu_fill_normal(c.b, FOUT, 1.0f, &r);
    tu_fill_normal(c.gw, FN * FOUT, 1.0f, &r);
    float dw[FIN * FOUT], db[FOUT];
    fc_backward(NULL, dw, db, c.gw, c.x, c.w, FN, FIN, FOUT);
    for (size_t i = 0; i < FIN * FOUT; i++)
        dw[i] *= 1.05f;
    char why[256];
    ck_assert(!tu_gradient_matches(c.w, dw, FIN * FOUT, fc_objective, &c, 1e-3, 1e-2, 1e-4, why));
    /* and the unscaled one passes on the same case */
    fc_backward(NULL, dw, db, c.gw, c.x, c.w, FN, FIN, FOUT);
    ck_assert_msg(tu_gradient_matches(c.w, dw, FIN * FOUT, fc_objective, &c, 1e-3, 1e-2, 1e-4, why),
                  "%s", why);
}
END_TEST

START_TEST(test_gradient_check_rejects_zero_gradient)
{
    /* G = 0 makes the true gradient 0: the guard must refuse to call that a pass */
    FcCase c;
    Rng r;
    rng_seed(&r, 14, 1);
    tu_fill_normal(c.x, FN * FIN, 1.0f, &r);
    tu_fill_normal(c.w, FIN * FOUT, 1.0f, &r);
    tu_fill_normal(c.b, FOUT, 1.0f, &r);
    memset(c.gw, 0, sizeof c.gw);
    float dw[FIN * FOUT], db[FOUT];
    fc_backward(NULL, dw, db, c.gw, c.x, c.w, FN, FIN, FOUT);
    char why[256];
    ck_assert(!tu_gradient_matches(c.w, dw, FIN * FOUT, fc_objective, &c, 1e-3, 1e-2, 1e-4, why));
    ck_assert_msg(strstr(why, "too small") != NULL, "%s", why);
}
END_TEST

Suite *layers_suite(void);
Suite *layers_suite(void)
{
    Suite *s = suite_create("layers");
    TCase *core = tcase_create("core");
    tcase_add_test(core, test_fc_forward_chain_starts_at_bias);
    tcase_add_test(core, test_fc_forward_hand_values);
    tcase_add_test(core, test_fc_backward_orders_and_skip);
    tcase_add_test(core, test_fc_gradient_check);
    tcase_add_test(core, test_relu_values);
    tcase_add_test(core, test_sigmoid_values);
    tcase_add_test(core, test_relu_gradient_check);
    tcase_add_test(core, test_sigmoid_gradient_check);
    tcase_add_test(core, test_softmax_rows_values);
    tcase_add_test(core, test_euclidean_hand_values);
    tcase_add_test(core, test_cross_entropy_hand_values);
    tcase_add_test(core, test_argmax_first_max_wins);
    tcase_add_test(core, test_euclidean_gradient_check);
    tcase_add_test(core, test_cross_entropy_gradient_check);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, test_gradient_check_rejects_wrong_gradient);
    tcase_add_test(errors, test_gradient_check_rejects_zero_gradient);
    suite_add_tcase(s, errors);
    return s;
}
